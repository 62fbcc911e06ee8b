namespace EvidenceChain.Ledger.Jobs;

/// <summary>
/// The port where the node keeps capture jobs and their per-URL progress, so that a job survives a restart. Unlike the
/// ledger's derived indexes, nothing can rebuild it: it is the node's own state.
/// </summary>
/// <remarks>Implementations must be thread-safe and make each write durable before it returns.</remarks>
public interface ICaptureJobStore
{
    /// <summary>Stores a new job with its URLs, all pending, in one write.</summary>
    void CreateJob(CaptureJob job, IReadOnlyList<string> urls);

    /// <summary>The job with this id, or null.</summary>
    CaptureJob? FindJob(string id);

    /// <summary>Every job, oldest first (then by id).</summary>
    IReadOnlyList<CaptureJob> Jobs();

    /// <summary>The job's items by position.</summary>
    IReadOnlyList<CaptureJobItem> Items(string jobId);

    /// <summary>Replaces the item at the same job and position.</summary>
    void UpdateItem(CaptureJobItem item);

    /// <summary>Every pending or running item of every job: by job (oldest first), then by position.</summary>
    IReadOnlyList<CaptureJobItem> UnfinishedItems();
}
