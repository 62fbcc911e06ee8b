using Microsoft.Extensions.Logging;

namespace EvidenceChain.Storage.Internal;

/// <summary>The files driver's log messages. Never put secrets in them.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "The search store {File} does not open ({Reason}); it is derived, so it is deleted and rebuilt from the ledger")]
    public static partial void SearchStoreRebuilt(ILogger logger, string file, string reason);
}
