namespace EvidenceChain.Storage.Postgres.Internal;

/// <summary>A signal that many may wait for: <see cref="Next"/> completes at the next <see cref="Set"/>.</summary>
/// <remarks>Thread-safe. Take <see cref="Next"/> before looking at what the signal announces, so that nothing is missed.</remarks>
internal sealed class Pulse
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Set"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Wakes everyone waiting for <see cref="Next"/>.</summary>
    public void Set() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits for the next <see cref="Set"/>, at most <paramref name="timeout"/> (the poll that covers a lost notification).</summary>
    public static async Task WaitAsync(Task next, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, cancel.Token);
        await Task.WhenAny(next, delay);
        await cancel.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
