namespace EvidenceChain.Storage.Internal;

/// <summary>
/// Group commit for many small files. On Linux, callers that need what they wrote to be durable await
/// <see cref="WaitAsync"/>; one <c>syncfs</c> that starts after their call releases all of them, so a thousand
/// concurrent uploads cost a few file-system syncs instead of a thousand fsyncs of files and folders. Elsewhere
/// <see cref="IsGrouped"/> is false and callers fsync their own files and folders.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class SyncBarrier
{
    private readonly string _path;
    private readonly Lock _lock = new();
    private TaskCompletionSource? _next;
    private bool _running;

    public SyncBarrier(string path) => _path = path;

    /// <summary>True where a file-system-wide sync exists (Linux).</summary>
    public static bool IsGrouped => OperatingSystem.IsLinux();

    /// <summary>Completes once everything written before the call is on disk.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource next;
        lock (_lock)
        {
            // A sync already running may have started before our writes: join the one after it.
            next = _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_running)
            {
                _running = true;
                _ = Task.Run(RunAsync, CancellationToken.None);
            }
        }

        return next.Task.WaitAsync(cancellationToken);
    }

    private Task RunAsync()
    {
        while (true)
        {
            TaskCompletionSource? current;
            lock (_lock)
            {
                current = _next;
                _next = null;
                if (current is null)
                {
                    _running = false;
                    return Task.CompletedTask;
                }
            }

            try
            {
                Durable.SyncFileSystem(_path);
                current.SetResult();
            }
            catch (IOException e)
            {
                current.SetException(e);
            }
        }
    }
}
