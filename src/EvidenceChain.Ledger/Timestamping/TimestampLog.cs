using Microsoft.Extensions.Logging;

namespace EvidenceChain.Ledger.Timestamping;

internal static partial class TimestampLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "Stamped {Count} checkpoint(s), up to size {Size}")]
    public static partial void Stamped(ILogger logger, int count, ulong size);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Timestamping checkpoint {Size} with the {Source}, attempt {Attempt}, failed: {Reason}; retrying")]
    public static partial void Retrying(ILogger logger, string source, ulong size, int attempt, string reason);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "Timestamping checkpoint {Size} with the {Source} failed after {Attempts} attempts: {Reason}")]
    public static partial void Failed(ILogger logger, string source, ulong size, int attempts, string reason);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "Storing the token of checkpoint {Size} failed")]
    public static partial void StoreFailed(ILogger logger, ulong size, Exception exception);

    [LoggerMessage(EventId = 24, Level = LogLevel.Error, Message = "A timestamping round failed unexpectedly; the next round tries again")]
    public static partial void RoundFailed(ILogger logger, Exception exception);
}
