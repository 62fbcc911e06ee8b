namespace EvidenceChain.Ledger.Jobs;

/// <summary>Where one URL of a capture job stands.</summary>
public enum CaptureItemState
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>Being captured (or was, when the node stopped: resumed at the next start).</summary>
    Running,

    /// <summary>Captured completely; its entry is recorded (and attached to the job's case, when given).</summary>
    Done,

    /// <summary>Failed, with a reason; a capture that failed under way still has its (failed) entry.</summary>
    Failed,

    /// <summary>Cancelled before it started (the job was cancelled); never captured, no entry.</summary>
    Cancelled,
}
