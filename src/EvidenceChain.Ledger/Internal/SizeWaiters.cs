namespace EvidenceChain.Ledger.Internal;

/// <summary>
/// Callers waiting for a result that covers at least a tree size (a timestamp, a quorum of cosignatures): added,
/// released once a result of a large enough size exists, removed when they give up, cancelled at shutdown.
/// </summary>
/// <remarks>Not thread-safe: its owner calls it under its own lock, with the state the result is read from.</remarks>
internal sealed class SizeWaiters<T>
{
    private readonly List<(ulong Size, TaskCompletionSource<T> Done)> _waiters = [];

    /// <summary>How many wait.</summary>
    public int Count => _waiters.Count;

    /// <summary>A task that completes with the first result released for <paramref name="size"/> or more.</summary>
    public Task<T> Add(ulong size)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((size, done));
        return done.Task;
    }

    /// <summary>Forgets the waiter behind <paramref name="wait"/> (its caller gave up), so it does not stay behind.</summary>
    public void Remove(Task<T> wait) => _waiters.RemoveAll(w => w.Done.Task == wait);

    /// <summary>Completes every waiter whose size <paramref name="result"/> of size <paramref name="size"/> covers.</summary>
    public void Release(ulong size, T result)
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Size <= size)
            {
                _waiters[i].Done.TrySetResult(result);
                _waiters.RemoveAt(i);
            }
        }
    }

    /// <summary>Cancels every waiter (the owner stops).</summary>
    public void CancelAll()
    {
        foreach (var (_, done) in _waiters)
        {
            done.TrySetCanceled();
        }

        _waiters.Clear();
    }
}
