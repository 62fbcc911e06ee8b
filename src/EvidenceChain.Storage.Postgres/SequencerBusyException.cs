namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// Another process sequences this log (it holds the log's advisory lock in the database): only one may append at a time.
/// </summary>
public sealed class SequencerBusyException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public SequencerBusyException(string message)
        : base(message)
    {
    }
}
