using Microsoft.Extensions.Logging;

namespace EvidenceChain.Ledger.Cases;

internal static partial class CaseLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Cases: {Cases} cases from {Events} stored events; scanning entries {From} to {To} for case events")]
    public static partial void Opened(ILogger logger, int cases, int events, ulong from, ulong to);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Cases: the case store disagrees with the ledger ({Reason}); rebuilding it from the ledger's case events")]
    public static partial void Rebuilding(ILogger logger, string reason);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Cases: entry {Index} is a case event that cannot be applied and is ignored: {Reason}")]
    public static partial void Ignored(ILogger logger, ulong index, string reason);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Case {CaseId}: {Action} recorded as entry {Index} by {Actor}")]
    public static partial void Recorded(ILogger logger, string caseId, string action, ulong index, string actor);

    [LoggerMessage(EventId = 604, Level = LogLevel.Error, Message = "Case {CaseId}: appending its {Action} event failed; the case is refused until the node restarts and rescans the ledger")]
    public static partial void AppendFailed(ILogger logger, string caseId, string action, Exception exception);
}
