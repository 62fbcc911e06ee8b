namespace EvidenceChain.Verifier.Receipts;

/// <summary>A receipt zip that is malformed, unsafe or over a limit; the message names the member and the rule.</summary>
public sealed class ReceiptFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public ReceiptFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ReceiptFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ReceiptFormatException()
        : base("The receipt is not a valid .evidence.zip.")
    {
    }
}
