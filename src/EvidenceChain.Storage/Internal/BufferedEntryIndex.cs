using EvidenceChain.Core;
using EvidenceChain.Ledger;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// Puts an in-memory table in front of a slow index (LiteDB): <see cref="Add"/> only updates the table, and a
/// background task moves what accumulated into the inner index in one large transaction every
/// <see cref="FlushInterval"/> (or sooner when much is waiting). Appends are therefore acknowledged without waiting
/// for LiteDB, and LiteDB pays its per-transaction costs once per flush instead of once per batch. Look-ups read the
/// table first, then the inner index, so an added entry is always found in one of them. Entries still in the table
/// at a crash are re-indexed from the ledger on the next open, as for any index that lags (the index is derived).
/// </summary>
/// <remarks>Thread-safe. <see cref="Add"/> blocks while more than <see cref="MaxBuffered"/> entries wait for the inner index.</remarks>
internal sealed class BufferedEntryIndex : IEntryIndex, IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);
    public const int FlushThreshold = 16_384;
    public const int MaxBuffered = 131_072;

    private readonly IEntryIndex _inner;
    private readonly object _lock = new(); // a monitor: Add waits on it for the flusher
    private readonly Dictionary<Hash, ulong> _leaves = [];
    private readonly Dictionary<Hash, List<ulong>> _digests = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _flusher;
    private List<IndexedEntry> _pending = [];
    private int _buffered;
    private ulong _size;
    private Exception? _failure;

    public BufferedEntryIndex(IEntryIndex inner)
    {
        _inner = inner;
        _size = inner.IndexedSize;
        _flusher = Task.Run(FlushLoopAsync);
    }

    public ulong IndexedSize
    {
        get
        {
            lock (_lock)
            {
                return _size;
            }
        }
    }

    public void Add(IReadOnlyList<IndexedEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_lock)
        {
            while (_buffered > MaxBuffered && _failure is null)
            {
                _wake.Release();
                Monitor.Wait(_lock, 100);
            }

            if (_failure is { } failure)
            {
                throw new IOException("Writing the index failed; look-ups of newer entries lag until the ledger reopens.", failure);
            }

            if (entries.Count > 0 && entries[0].Index > _size)
            {
                throw new ArgumentException($"Expected entry {_size} next; got {entries[0].Index}.", nameof(entries));
            }

            var added = 0;
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                if (e.Index != entries[0].Index + (ulong)i)
                {
                    throw new ArgumentException($"Expected entry {entries[0].Index + (ulong)i} next; got {e.Index}.", nameof(entries));
                }

                if (e.Index < _size)
                {
                    continue; // indexed already
                }

                _leaves[e.LeafHash] = e.Index;
                foreach (var d in e.Digests.Distinct())
                {
                    if (!_digests.TryGetValue(d, out var list))
                    {
                        _digests[d] = list = [];
                    }

                    list.Add(e.Index);
                }

                _pending.Add(e);
                _size++;
                added++;
            }

            _buffered += added;
            if (_pending.Count >= FlushThreshold)
            {
                _wake.Release();
            }
        }
    }

    public void Reset()
    {
        _flushing.Wait();
        try
        {
            lock (_lock)
            {
                _inner.Reset();
                _leaves.Clear();
                _digests.Clear();
                _pending = [];
                _buffered = 0;
                _size = 0;
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    public ulong? FindByLeafHash(Hash leafHash)
    {
        // The table first: an entry leaves it only after the inner index has it.
        lock (_lock)
        {
            if (_leaves.TryGetValue(leafHash, out var index))
            {
                return index;
            }
        }

        return _inner.FindByLeafHash(leafHash);
    }

    public IReadOnlyList<ulong> FindByDigest(Hash digest, int limit)
    {
        List<ulong> recent;
        lock (_lock)
        {
            recent = _digests.TryGetValue(digest, out var list) ? [.. list] : [];
        }

        var older = _inner.FindByDigest(digest, limit);
        return recent.Count == 0 ? older : [.. older.Concat(recent).Distinct().Order().Take(limit)];
    }

    /// <summary>Stops the background task after moving everything into the inner index (which the caller disposes).</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _flusher.GetAwaiter().GetResult();
        if (_failure is null)
        {
            Flush();
        }

        _stop.Dispose();
        _wake.Dispose();
        _flushing.Dispose();
    }

    private async Task FlushLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(FlushInterval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_failure is null)
            {
                Flush();
            }
        }
    }

    /// <summary>Moves everything added so far into the inner index now.</summary>
    public void Flush()
    {
        _flushing.Wait();
        try
        {
            while (FlushChunk())
            {
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    // Moves at most FlushThreshold entries per transaction, so that appends waiting for room resume after each one
    // rather than after one huge transaction. Returns whether there may be more to move.
    private bool FlushChunk()
    {
        List<IndexedEntry> batch;
        lock (_lock)
        {
            if (_pending.Count <= FlushThreshold)
            {
                batch = _pending;
                _pending = [];
            }
            else
            {
                batch = _pending.GetRange(0, FlushThreshold);
                _pending.RemoveRange(0, FlushThreshold);
            }
        }

        if (batch.Count == 0)
        {
            return false;
        }

        try
        {
            _inner.Add(batch);
        }
        catch (Exception e)
        {
            lock (_lock)
            {
                _failure = e;
                Monitor.PulseAll(_lock);
            }

            return false;
        }

        var last = batch[^1].Index;
        lock (_lock)
        {
            foreach (var e in batch)
            {
                if (_leaves.TryGetValue(e.LeafHash, out var i) && i <= last)
                {
                    _leaves.Remove(e.LeafHash);
                }

                foreach (var d in e.Digests)
                {
                    if (_digests.TryGetValue(d, out var list))
                    {
                        list.RemoveAll(x => x <= last);
                        if (list.Count == 0)
                        {
                            _digests.Remove(d);
                        }
                    }
                }
            }

            _buffered -= batch.Count;
            Monitor.PulseAll(_lock);
        }

        return true;
    }
}
