using Microsoft.Extensions.Logging;

namespace EvidenceChain.Ledger.Witnessing;

internal static partial class CosignLog
{
    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "Checkpoint {Size} cosigned by {Count} of {Total} witnesses")]
    public static partial void Cosigned(ILogger logger, ulong size, int count, int total);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Witness {Witness} did not cosign checkpoint {Size}: {Reason}; retrying in {Delay}")]
    public static partial void Failed(ILogger logger, string witness, ulong size, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 32, Level = LogLevel.Error, Message = "Witness {Witness} reports a conflict: {Reason}. A split view or a rewritten log; check the witness and this log's history")]
    public static partial void Conflict(ILogger logger, string witness, string reason);

    [LoggerMessage(EventId = 33, Level = LogLevel.Error, Message = "Storing the cosignatures of checkpoint {Size} failed")]
    public static partial void StoreFailed(ILogger logger, ulong size, Exception exception);

    [LoggerMessage(EventId = 34, Level = LogLevel.Error, Message = "A cosigning round failed unexpectedly; the next round tries again")]
    public static partial void RoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 35, Level = LogLevel.Warning, Message = "The witness policy is not met: {Reason}")]
    public static partial void PolicyUnmet(ILogger logger, string reason);

    [LoggerMessage(EventId = 36, Level = LogLevel.Information, Message = "The witness policy is met again: checkpoint {Size} cosigned by {Count} witnesses")]
    public static partial void PolicyMet(ILogger logger, ulong size, int count);
}
