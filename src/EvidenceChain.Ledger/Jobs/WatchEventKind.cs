namespace EvidenceChain.Ledger.Jobs;

/// <summary>What one slot of a watch saw (docs/formats.md §20).</summary>
public enum WatchEventKind
{
    /// <summary>The slot's capture is under way (not yet a timeline event).</summary>
    Running,

    /// <summary>The page answered (2xx/3xx) for the first time.</summary>
    FirstSeen,

    /// <summary>It answered with the same payload digest as the last time it answered.</summary>
    Unchanged,

    /// <summary>It answered with another payload digest than the last time.</summary>
    Changed,

    /// <summary>No page: HTTP 4xx or 5xx, DNS failure, connection refused, timeout or any other failed capture.</summary>
    Gone,

    /// <summary>It answered again after being gone.</summary>
    Back,

    /// <summary>No capture at this slot: the node was not running then (or the slot's capture was cut off by a stop).</summary>
    Missed,
}
