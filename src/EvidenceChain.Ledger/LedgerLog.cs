using Microsoft.Extensions.Logging;

namespace EvidenceChain.Ledger;

internal static partial class LedgerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Ledger {Origin} opened at size {Size}")]
    public static partial void Opened(ILogger logger, string origin, ulong size);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Index behind the ledger: indexing entries {From} to {To}")]
    public static partial void IndexCatchUp(ILogger logger, ulong from, ulong to);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Index is ahead of the ledger ({Indexed} > {Size}); rebuilding it")]
    public static partial void IndexAhead(ILogger logger, ulong indexed, ulong size);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Batch of {Count} appends failed; reloading the ledger state from storage")]
    public static partial void BatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Committed batch of {Count}; size {Size}")]
    public static partial void Committed(ILogger logger, int count, ulong size);

    [LoggerMessage(EventId = 6, Level = LogLevel.Critical, Message = "Ledger state could not be reloaded; appends are refused until restart")]
    public static partial void Faulted(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Indexing entries from {From} failed; look-ups by hash or digest miss them until it succeeds (retrying in {Retry}, then less often)")]
    public static partial void IndexFailed(ILogger logger, ulong from, TimeSpan retry, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Critical, Message = "The sequencer stopped on an unexpected error; appends are refused until restart")]
    public static partial void SequencerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "A CheckpointPublished handler failed for size {Size}")]
    public static partial void PublishedHandlerFailed(ILogger logger, ulong size, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Ledger {Origin} opened at size {Size} as a front-end: another process sequences it; appends are handed to it")]
    public static partial void OpenedFrontEnd(ILogger logger, string origin, ulong size);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "This process took over sequencing the log at size {Size}")]
    public static partial void TookOver(ILogger logger, ulong size);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Following the published log failed; retrying")]
    public static partial void FollowFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Index catching up: {Indexed} of {Size} entries")]
    public static partial void IndexProgress(ILogger logger, ulong indexed, ulong size);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Index caught up: {Count} entries indexed in {Milliseconds} ms; it holds {Indexed}")]
    public static partial void IndexCaughtUp(ILogger logger, ulong count, ulong indexed, long milliseconds);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Indexing works again; the index holds {Indexed} entries")]
    public static partial void IndexRecovered(ILogger logger, ulong indexed);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "The index has stayed at {Indexed} entries of the log's {Size}; this front-end indexes the published log itself")]
    public static partial void IndexStalled(ILogger logger, ulong indexed, ulong size);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "A front-end's indexing from entry {From} failed; retrying")]
    public static partial void FrontEndIndexFailed(ILogger logger, ulong from, Exception exception);
}
