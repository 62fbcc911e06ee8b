using System.Diagnostics;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Tiles;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Ledger.Internal;

/// <summary>
/// Keeps the digest index following the published log (docs/design.md §6, "Storage drivers"): it adds the entries
/// from the index's <see cref="IEntryIndex.IndexedSize"/> up to the published size, in order, read from the published
/// entry bundles or, on the sequencer, from the batches it has just published (the same entries, already in memory).
/// Appends are acknowledged without waiting for it; the sequencer asks <see cref="RoomAsync"/> before each batch, so
/// the index lags the log by at most <see cref="LedgerOptions.MaxIndexLag"/> entries (while it catches up after a
/// crash: by at most that many more than it lagged when the sequencer started).
/// </summary>
/// <remarks>
/// <para>
/// The sequencer's follower writes eagerly. A front-end's follower of a shared log only reads the index's size, and
/// writes only when the index has made no progress for a whole poll interval while it lags the log (its sequencer
/// does not index: an older build, or failing index writes); two writers are harmless because
/// <see cref="IEntryIndex.Add"/> skips what the index already holds, and the entries come from the published log,
/// which is the same for every process.
/// </para>
/// <para>Thread-safe. A failing index is retried with a growing delay; it never holds appends back.</para>
/// </remarks>
internal sealed class IndexFollower : IAsyncDisposable
{
    private const int MaxChunk = 16_384; // entries per index transaction
    private static readonly TimeSpan FrontEndPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LookupPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly IEntryIndex _index;
    private readonly TreeReader _reader;
    private readonly Func<TreeState> _published;
    private readonly ulong _maxLag;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Queue<IndexedEntry[]> _recent = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private long _recentCount;
    private TaskCompletionSource _progress = NewSignal();
    private ulong _indexed;
    private ulong _allowance;
    private bool _failing;
    private bool _writer;
    private CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public IndexFollower(IEntryIndex index, TreeReader reader, Func<TreeState> published, int maxLag, TimeProvider time, ILogger logger)
    {
        _index = index;
        _reader = reader;
        _published = published;
        _maxLag = (ulong)maxLag;
        _allowance = _maxLag;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many entries the index holds, as this process last saw it.</summary>
    public ulong IndexedSize
    {
        get
        {
            lock (_lock)
            {
                return _indexed;
            }
        }
    }

    /// <summary>
    /// Starts following as the log's sequencer (at open, or after a takeover): an index ahead of the published log is
    /// emptied first (it belongs to another history), then the follower writes in the background.
    /// </summary>
    public async Task StartWritingAsync()
    {
        await StopLoopAsync();
        var size = _published().Size;
        var indexed = _index.IndexedSize;
        if (indexed > size)
        {
            LedgerLog.IndexAhead(_logger, indexed, size);
            _index.Reset();
            indexed = 0;
        }

        if (indexed < size)
        {
            LedgerLog.IndexCatchUp(_logger, indexed, size - 1);
        }

        lock (_lock)
        {
            _writer = true;
            _indexed = indexed;
            _allowance = size - indexed + _maxLag;
        }

        StartLoop(writer: true);
    }

    /// <summary>Starts following as a front-end of a shared log: reads the index's size, and writes only when nobody else does.</summary>
    public void StartReading()
    {
        lock (_lock)
        {
            _indexed = _index.IndexedSize;
        }

        StartLoop(writer: false);
    }

    /// <summary>The sequencer published <paramref name="batch"/> (consecutive entries): index it from memory when its turn comes.</summary>
    public void Offer(IndexedEntry[] batch)
    {
        lock (_lock)
        {
            _recent.Enqueue(batch);
            _recentCount += batch.Length;

            // A failing or slow index must not hold the log in memory: older batches are read back from the log instead.
            while (_recentCount > (long)_maxLag && _recent.Count > 1)
            {
                _recentCount -= _recent.Dequeue().Length;
            }
        }

        Wake();
    }

    /// <summary>
    /// The sequencer, before a batch at published size <paramref name="size"/>: how many entries it may append without
    /// the index lagging more than allowed; waits while that is none.
    /// </summary>
    public async Task<int> RoomAsync(ulong size)
    {
        while (true)
        {
            Task progress;
            lock (_lock)
            {
                var lag = size > _indexed ? size - _indexed : 0;
                if (_failing || !_writer)
                {
                    return int.MaxValue;
                }

                if (lag < _allowance)
                {
                    return (int)Math.Min(_allowance - lag, int.MaxValue);
                }

                progress = _progress.Task;
            }

            await progress;
        }
    }

    /// <summary>
    /// Waits, at most <paramref name="maxWait"/>, until the index holds the first <paramref name="size"/> entries; false
    /// when it does not by then, or at once while writing the index fails.
    /// </summary>
    public async Task<bool> WaitForAsync(ulong size, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        while (true)
        {
            Task progress;
            bool writer;
            lock (_lock)
            {
                if (_indexed >= size)
                {
                    return true;
                }

                if (_failing)
                {
                    return false;
                }

                progress = _progress.Task;
                writer = _writer;
            }

            if (!writer && _index.IndexedSize >= size)
            {
                // A front-end learns of others' progress from the index itself.
                return true;
            }

            var remaining = maxWait == Timeout.InfiniteTimeSpan ? LookupPoll : maxWait - _time.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            await Task.WhenAny(progress, Task.Delay(remaining < LookupPoll ? remaining : LookupPoll, _time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Stops following; the sequencer's follower first indexes what is published (unless its index is failing).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopLoopAsync();
        _stop.Dispose();
        _wake.Dispose();
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is due already.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private void StartLoop(bool writer)
    {
        var stop = _stop.Token;
        _loop = Task.Run(() => writer ? WriteLoopAsync(stop) : ReadLoopAsync(stop), CancellationToken.None);
    }

    private async Task StopLoopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _stop = new CancellationTokenSource();
    }

    private async Task WriteLoopAsync(CancellationToken stop)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            var stopping = stop.IsCancellationRequested;
            if (stopping && _failing)
            {
                return;
            }

            try
            {
                await CatchUpAsync(writer: true, CancellationToken.None);
                delay = TimeSpan.FromSeconds(1);
            }
            catch (Exception e)
            {
                Failed(e, writer: true, delay);
                if (stopping)
                {
                    return;
                }

                try
                {
                    await Task.Delay(delay, _time, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = delay * 2 > MaxRetryDelay ? MaxRetryDelay : delay * 2;
                continue;
            }

            if (stopping)
            {
                return;
            }

            try
            {
                await _wake.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                // One more pass indexes what was published before the stop.
            }
        }
    }

    private async Task ReadLoopAsync(CancellationToken stop)
    {
        ulong? unchanged = null;
        var delay = FrontEndPoll;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var indexed = _index.IndexedSize;
                Advanced(indexed, null);
                var size = _published().Size;
                if (indexed >= size)
                {
                    unchanged = null;
                }
                else if (unchanged == indexed)
                {
                    // Behind the log and not moving for a whole poll: nobody indexes it, so this process does.
                    LedgerLog.IndexStalled(_logger, indexed, size);
                    await CatchUpAsync(writer: false, stop);
                    unchanged = null;
                }
                else
                {
                    unchanged = indexed;
                }

                delay = FrontEndPoll;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Failed(e, writer: false, delay);
                delay = delay * 2 > MaxRetryDelay ? MaxRetryDelay : delay * 2;
            }

            try
            {
                await Task.Delay(delay, _time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Failed(Exception e, bool writer, TimeSpan retry)
    {
        TaskCompletionSource released;
        bool first;
        ulong from;
        lock (_lock)
        {
            first = !_failing;
            _failing = true;
            from = _indexed;
            _recent.Clear();
            _recentCount = 0;
            released = _progress;
            _progress = NewSignal();
        }

        released.TrySetResult();
        if (!first)
        {
            return;
        }

        if (writer)
        {
            LedgerLog.IndexFailed(_logger, from, retry, e);
        }
        else
        {
            LedgerLog.FrontEndIndexFailed(_logger, from, e);
        }
    }

    /// <summary>Indexes from the index's size up to the published size, re-reading the published size as it goes.</summary>
    private async Task CatchUpAsync(bool writer, CancellationToken cancellationToken)
    {
        bool resync;
        lock (_lock)
        {
            resync = _failing || !writer;
        }

        if (resync)
        {
            // After a failure (or on a front-end) the index itself says where it stands.
            Advanced(_index.IndexedSize, null);
        }

        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        ulong started = IndexedSize;
        var state = _published();
        while (IndexedSize < state.Size)
        {
            var from = IndexedSize;
            var chunk = await NextChunkAsync(from, state, cancellationToken);
            _index.Add(chunk);
            Advanced(from + (ulong)chunk.Count, state.Size);
            if (clock.Elapsed - lastReport >= ProgressEvery)
            {
                lastReport = clock.Elapsed;
                LedgerLog.IndexProgress(_logger, IndexedSize, state.Size);
            }

            state = _published();
        }

        if (lastReport > TimeSpan.Zero)
        {
            LedgerLog.IndexCaughtUp(_logger, IndexedSize - started, IndexedSize, (long)clock.Elapsed.TotalMilliseconds);
        }

        bool recovered;
        lock (_lock)
        {
            recovered = _failing;
            _failing = false;
        }

        if (recovered)
        {
            LedgerLog.IndexRecovered(_logger, IndexedSize);
        }
    }

    /// <summary>The entries from <paramref name="from"/> on, up to <see cref="MaxChunk"/> and the published size: from memory when the sequencer offered them, otherwise read from the log.</summary>
    private async Task<List<IndexedEntry>> NextChunkAsync(ulong from, TreeState state, CancellationToken cancellationToken)
    {
        var end = Math.Min(state.Size, from + MaxChunk);
        var chunk = new List<IndexedEntry>((int)Math.Min(end - from, 1024));
        var next = from;
        while (next < end)
        {
            IndexedEntry[]? batch = null;
            lock (_lock)
            {
                while (_recent.TryPeek(out var old) && old[^1].Index < next)
                {
                    _recentCount -= _recent.Dequeue().Length;
                }

                if (_recent.TryPeek(out var head) && head[0].Index <= next && head[^1].Index < end)
                {
                    batch = head;
                }
            }

            if (batch is not null)
            {
                for (var i = (int)(next - batch[0].Index); i < batch.Length; i++)
                {
                    chunk.Add(batch[i]);
                }

                next = batch[^1].Index + 1;
                continue;
            }

            var leaves = await _reader.BundleLeavesAsync(next / TileId.FullWidth, state, cancellationToken);
            var bundleStart = next - (next % TileId.FullWidth);
            for (; next < end && next < bundleStart + (ulong)leaves.Length; next++)
            {
                var leaf = leaves[(int)(next - bundleStart)];
                chunk.Add(IndexedEntry.FromLeaf(next, Rfc6962.HashLeaf(leaf), LeafCodec.Parse(leaf)));
            }
        }

        return chunk;
    }

    /// <summary>Records that the index holds <paramref name="indexed"/> entries and wakes whoever waits on progress.</summary>
    private void Advanced(ulong indexed, ulong? size)
    {
        TaskCompletionSource released;
        lock (_lock)
        {
            _indexed = indexed;
            if (size is { } s && s - Math.Min(s, indexed) <= _maxLag)
            {
                _allowance = _maxLag;
            }

            released = _progress;
            _progress = NewSignal();
        }

        released.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
