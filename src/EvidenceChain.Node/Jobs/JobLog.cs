namespace EvidenceChain.Node.Jobs;

/// <summary>Log messages of capture jobs and watches.</summary>
internal static partial class JobLog
{
    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "Capture job {JobId}: {Count} URL(s) accepted for {KeyId}")]
    public static partial void JobAccepted(ILogger logger, string jobId, int count, string keyId);

    [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "Resuming {Count} unfinished URL(s) of capture jobs ({Found} already captured before the stop)")]
    public static partial void Resuming(ILogger logger, int count, int found);

    [LoggerMessage(EventId = 142, Level = LogLevel.Error, Message = "Capture job {JobId}: URL {Position} failed unexpectedly")]
    public static partial void ItemError(ILogger logger, string jobId, int position, Exception exception);

    [LoggerMessage(EventId = 148, Level = LogLevel.Information, Message = "Capture job {JobId}: {Count} pending URL(s) cancelled by {KeyId}")]
    public static partial void JobCancelled(ILogger logger, string jobId, int count, string keyId);

    [LoggerMessage(EventId = 143, Level = LogLevel.Information, Message = "Watch {WatchId} created: every {Every}, until {Until}")]
    public static partial void WatchCreated(ILogger logger, string watchId, TimeSpan every, DateTimeOffset until);

    [LoggerMessage(EventId = 144, Level = LogLevel.Information, Message = "Watch {WatchId}: slot {Slot} {Kind}")]
    public static partial void Slot(ILogger logger, string watchId, long slot, Ledger.Jobs.WatchEventKind kind);

    [LoggerMessage(EventId = 145, Level = LogLevel.Information, Message = "Watch {WatchId} ended ({Reason}); summary entry {Index}")]
    public static partial void WatchEnded(ILogger logger, string watchId, string reason, ulong index);

    [LoggerMessage(EventId = 146, Level = LogLevel.Error, Message = "Watch {WatchId}: slot {Slot} failed unexpectedly")]
    public static partial void SlotError(ILogger logger, string watchId, long slot, Exception exception);

    [LoggerMessage(EventId = 147, Level = LogLevel.Error, Message = "The watch scheduler failed; watches stop until the node restarts")]
    public static partial void SchedulerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 149, Level = LogLevel.Error, Message = "Capture jobs and watches could not be resumed when this node took sequencing over; they run again at the next start")]
    public static partial void TakeOverFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "Watch {WatchId} exported while running; summary entry {Index}")]
    public static partial void WatchExported(ILogger logger, string watchId, ulong index);
}
