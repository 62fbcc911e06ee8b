namespace EvidenceChain.Ledger;

/// <summary>
/// Submitted evidence was refused because of what the submitter sent: a malformed field, or content that does not
/// match what was declared. Nothing was kept. The message names the field and what was wrong.
/// </summary>
public sealed class EvidenceRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    internal EvidenceRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    internal EvidenceRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    internal EvidenceRejectedException()
    {
    }
}
