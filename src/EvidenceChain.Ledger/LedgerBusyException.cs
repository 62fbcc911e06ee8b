namespace EvidenceChain.Ledger;

/// <summary>
/// The sequencer's queue is full. Callers should apply back-pressure: retry after a short delay (over gRPC this
/// is <c>UNAVAILABLE</c>, the analogue of HTTP 503).
/// </summary>
public sealed class LedgerBusyException : Exception
{
    /// <summary>Creates the exception.</summary>
    internal LedgerBusyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    internal LedgerBusyException()
    {
    }

    /// <summary>Creates the exception.</summary>
    internal LedgerBusyException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
