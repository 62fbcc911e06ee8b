using Microsoft.Extensions.Logging;

namespace EvidenceChain.Ledger.Search;

internal static partial class SearchLog
{
    [LoggerMessage(EventId = 650, Level = LogLevel.Warning, Message = "Search: the search store disagrees with the ledger ({Reason}); rebuilding it from the ledger")]
    public static partial void Rebuilding(ILogger logger, string reason);

    [LoggerMessage(EventId = 651, Level = LogLevel.Information, Message = "Search: caught up from entry {From} to {To} in {Milliseconds} ms")]
    public static partial void CaughtUp(ILogger logger, ulong from, ulong to, long milliseconds);

    [LoggerMessage(EventId = 652, Level = LogLevel.Error, Message = "Search: following the ledger failed {Times} times in a row; searches retry it")]
    public static partial void FollowFailed(ILogger logger, int times, Exception exception);

    [LoggerMessage(EventId = 653, Level = LogLevel.Warning, Message = "Search: following the ledger failed; retrying at the next tick")]
    public static partial void FollowRetrying(ILogger logger, Exception exception);
}
