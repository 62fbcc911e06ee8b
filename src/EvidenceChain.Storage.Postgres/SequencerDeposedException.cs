namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// This process no longer sequences the log: another took the lease over (its fencing token is newer), so nothing this
/// process writes to the log's tiles or checkpoints is accepted any more. Stop appending and reopen.
/// </summary>
public sealed class SequencerDeposedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public SequencerDeposedException(string message)
        : base(message)
    {
    }
}
