using Microsoft.Extensions.Logging;

namespace EvidenceChain.Witness.Internal;

/// <summary>The witness's log messages. Never put key material in them.</summary>
internal static partial class WitnessLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Information,
        Message = "Witness {WitnessKey} cosigns checkpoints of {Count} log(s) at POST /add-checkpoint: {Origins}; state in {Path}")]
    public static partial void Started(ILogger logger, string witnessKey, int count, string origins, string path);

    [LoggerMessage(EventId = 901, Level = LogLevel.Debug, Message = "Cosigned {Origin} at size {Size}")]
    public static partial void Cosigned(ILogger logger, string origin, ulong size);

    [LoggerMessage(EventId = 902, Level = LogLevel.Error,
        Message = "Split view: log {Origin} signed two different trees of size {Size}: root {CosignedRoot} (cosigned) and root {OfferedRoot} (refused). Keep the refused checkpoint as evidence:\n{Checkpoint}")]
    public static partial void SplitView(ILogger logger, string origin, ulong size, string cosignedRoot, string offeredRoot, string checkpoint);

    [LoggerMessage(EventId = 903, Level = LogLevel.Warning,
        Message = "Refused a checkpoint of {Origin} at size {Size}: not shown consistent with the cosigned size {CosignedSize} ({Reason}); a log that rewrote its history looks like this:\n{Checkpoint}")]
    public static partial void Inconsistent(ILogger logger, string origin, ulong size, ulong cosignedSize, string reason, string checkpoint);

    [LoggerMessage(EventId = 905, Level = LogLevel.Debug, Message = "add-checkpoint answered 409: {Origin} offered old size {OldSize}, cosigned size is {CosignedSize}")]
    public static partial void Conflict(ILogger logger, string origin, ulong oldSize, ulong cosignedSize);

    [LoggerMessage(EventId = 904, Level = LogLevel.Debug, Message = "add-checkpoint answered {Status}: {Reason}")]
    public static partial void Refused(ILogger logger, int status, string reason);
}
