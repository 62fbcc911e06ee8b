namespace EvidenceChain.Ledger;

/// <summary>The stored ledger is not consistent with itself; the message names the file or entry.</summary>
public sealed class LedgerCorruptException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerCorruptException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LedgerCorruptException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public LedgerCorruptException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
