namespace EvidenceChain.Ledger.Jobs;

/// <summary>Whether a watch still captures.</summary>
public enum WatchState
{
    /// <summary>Capturing at its slots.</summary>
    Active,

    /// <summary>Its last slot passed, or it was stopped; its summary entry is appended (or will be at the next start).</summary>
    Ended,
}
