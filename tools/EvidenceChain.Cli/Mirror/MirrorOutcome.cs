using EvidenceChain.Core;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Cli.Mirror;

/// <summary>How a mirror run ended.</summary>
internal enum MirrorStatus
{
    /// <summary>The folder now holds the log's newer checkpoint, every tile and bundle verified.</summary>
    Mirrored,

    /// <summary>The log's checkpoint is the folder's (its note may have been refreshed, e.g. with more cosignatures).</summary>
    UpToDate,

    /// <summary>The log serves an older checkpoint, consistent with the folder's, which keeps its own.</summary>
    Behind,

    /// <summary>The log contradicts its own checkpoint or the folder's history; the folder keeps its state, the evidence is saved.</summary>
    Refused,
}

/// <summary>What a mirror run did: the log's checkpoint, the folder's before, and the counts; for a refusal the reason and the evidence folder.</summary>
internal sealed record MirrorOutcome(MirrorStatus Status, Checkpoint Served, ulong PreviousSize, Hash? PreviousRoot)
{
    /// <summary>Files fetched from the log.</summary>
    public long Fetched { get; init; }

    /// <summary>Files already in the folder (from an interrupted run) that verified, so were not fetched.</summary>
    public long Reused { get; init; }

    /// <summary>For <see cref="MirrorStatus.Refused"/>: one line naming the sizes and roots.</summary>
    public string? Reason { get; init; }

    /// <summary>For <see cref="MirrorStatus.Refused"/>: the folder holding the evidence.</summary>
    public string? Evidence { get; init; }
}
