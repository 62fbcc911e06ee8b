using System.Threading.Channels;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger.Internal;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Tiles;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Ledger;

/// <summary>
/// One append-only log: the single writer (sequencer) and the readers of its entries, proofs and checkpoints.
/// Appends queue up and are committed in batches (group commit): each batch writes its entry bundle and tiles,
/// checks the new checkpoint consistent with the last, publishes it, and only then acknowledges its appends.
/// </summary>
/// <remarks>
/// Thread-safe: any number of callers may append and read concurrently. Reads use the latest published
/// checkpoint. Dispose drains the queue: appends already accepted are committed before it returns.
/// </remarks>
public sealed class EvidenceLedger : IAsyncDisposable
{
    private readonly ILedgerStore _store;
    private readonly IEntryIndex _index;
    private readonly CheckpointCodec _checkpoints;
    private readonly LedgerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TileCache _cache;
    private readonly TreeReader _reader;
    private readonly Channel<PendingAppend> _queue;
    private readonly IndexFollower _indexFollower;
    private readonly ISequencerHandoff? _handoff;
    private readonly CancellationTokenSource _stop = new();
    private int _disposeStarted;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private long _refreshAsked; // refreshes asked for, numbered (a front-end's)
    private long _refreshCovered; // the asks a finished refresh read the store after (under _refresh)
    private readonly TaskCompletionSource _sequencing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private Task _follower = Task.CompletedTask;
    private Task _pump = Task.CompletedTask;
    private volatile bool _following;
    private volatile TreeState _state = null!;
    private MerkleAppender _appender = new();
    private volatile Exception? _fault;
    private volatile bool _stopping;

    private EvidenceLedger(
        ILedgerStore store, IEntryIndex index, CheckpointCodec checkpoints, ISequencerHandoff? handoff, LedgerOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _handoff = handoff;
        _index = index;
        _checkpoints = checkpoints;
        _options = options;
        _time = time;
        _logger = logger;
        _cache = new TileCache(options.TileCacheSize);
        _reader = new TreeReader(store, _cache);
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(options.MaxPendingAppends)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
        _indexFollower = new IndexFollower(index, _reader, () => _state, options.MaxIndexLag, time, logger);
    }

    /// <summary>The log's origin (its name, and the checkpoint key's name).</summary>
    public string Origin => _checkpoints.Origin;

    /// <summary>
    /// Completes when this process sequences the log: at open, or, for a front-end of a shared log (see
    /// <see cref="ISequencerHandoff"/>), when it takes sequencing over. Work only the sequencer does (timestamping
    /// checkpoints, witness rounds) starts then.
    /// </summary>
    public Task Sequencing => _sequencing.Task;

    /// <summary>Number of entries in the latest published checkpoint.</summary>
    public ulong Size => _state.Size;

    /// <summary>The root hash of the latest published checkpoint.</summary>
    public Hash Root => _state.Root;

    /// <summary>The latest published checkpoint, as a signed note.</summary>
    public string LatestCheckpoint => _state.SignedCheckpoint;

    /// <summary>
    /// Raised on the sequencer after each checkpoint is durable and published, in order. Handlers must return
    /// quickly (hand the checkpoint to a queue) and must not throw; an exception is logged and ignored.
    /// </summary>
    internal event Action<PublishedCheckpoint>? CheckpointPublished;

    /// <summary>
    /// Opens the ledger in <paramref name="store"/> (creating an empty one, with a signed size-0 checkpoint, if the
    /// store has none), checks that its checkpoint verifies and matches its tiles, starts the digest index's follower
    /// (which catches a lagging index up in the background; an index ahead of the log is emptied and rebuilt) and
    /// starts the sequencer.
    /// </summary>
    /// <exception cref="LedgerCorruptException">The stored ledger is inconsistent; the message says where.</exception>
    public static Task<EvidenceLedger> OpenAsync(
        ILedgerStore store,
        IEntryIndex index,
        NoteSigner signer,
        LedgerOptions options,
        TimeProvider time,
        ILogger<EvidenceLedger> logger,
        CancellationToken cancellationToken = default) =>
        OpenAsync(store, index, signer, null, null, options, time, logger, cancellationToken);

    /// <summary>
    /// Opens the ledger as <see cref="OpenAsync(ILedgerStore, IEntryIndex, NoteSigner, LedgerOptions, TimeProvider, ILogger{EvidenceLedger}, CancellationToken)"/>
    /// does, and, when <paramref name="sm2Signer"/> is given (the national crypto profile), signs every new checkpoint
    /// with it too: a second signature line after the log key's (docs/formats.md §6a). Stored checkpoints without an
    /// SM2 line still open, so the profile can be turned on for an existing log.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="sm2Signer"/> is not an SM2 key with the log key's name and a key ID of its own.
    /// </exception>
    /// <exception cref="LedgerCorruptException">The stored ledger is inconsistent; the message says where.</exception>
    public static Task<EvidenceLedger> OpenAsync(
        ILedgerStore store,
        IEntryIndex index,
        NoteSigner signer,
        NoteSigner? sm2Signer,
        LedgerOptions options,
        TimeProvider time,
        ILogger<EvidenceLedger> logger,
        CancellationToken cancellationToken = default) =>
        OpenAsync(store, index, signer, sm2Signer, null, options, time, logger, cancellationToken);

    /// <summary>
    /// Opens the ledger of a log that several processes may share through <paramref name="handoff"/> (null: this
    /// process alone). While another process sequences the log, this one is a front-end: it follows the published
    /// log (reads, proofs and look-ups serve what the sequencer published), hands its appends to the sequencer and
    /// acknowledges them once published; when it takes the lease over it sequences, as the other overloads do.
    /// </summary>
    /// <exception cref="LedgerCorruptException">
    /// The stored ledger is inconsistent, or its checkpoint does not verify under <paramref name="signer"/> (a
    /// front-end with another log key than the sequencer's); the message says which.
    /// </exception>
    /// <exception cref="InvalidOperationException">A front-end found no published checkpoint within 30 seconds.</exception>
    public static async Task<EvidenceLedger> OpenAsync(
        ILedgerStore store,
        IEntryIndex index,
        NoteSigner signer,
        NoteSigner? sm2Signer,
        ISequencerHandoff? handoff,
        LedgerOptions options,
        TimeProvider time,
        ILogger<EvidenceLedger> logger,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPendingAppends, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIndexLag, 1, nameof(options));

        var ledger = new EvidenceLedger(store, index, new CheckpointCodec(signer, sm2Signer), handoff, options, time, logger);
        if (handoff is null || handoff.Sequencing.IsCompleted)
        {
            await ledger.StartSequencingAsync(cancellationToken);
            LedgerLog.Opened(logger, ledger.Origin, ledger.Size);
        }
        else
        {
            await ledger.OpenFrontEndAsync(cancellationToken);
            LedgerLog.OpenedFrontEnd(logger, ledger.Origin, ledger.Size);
        }

        return ledger;
    }

    private async Task StartSequencingAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(discard: true, cancellationToken);
        await _indexFollower.StartWritingAsync();
        _loop = Task.Run(RunAsync, CancellationToken.None);
        _following = false;
        if (_handoff is not null)
        {
            _pump = Task.Run(() => _handoff.RunSequencerAsync(this, _stop.Token), CancellationToken.None);
        }

        _sequencing.TrySetResult();
    }

    private async Task OpenFrontEndAsync(CancellationToken cancellationToken)
    {
        _following = true;
        var deadline = _time.GetTimestamp() + (30 * _time.TimestampFrequency);
        while (await _store.ReadCheckpointAsync(cancellationToken) is null)
        {
            if (_time.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException("No checkpoint of the log was published within 30 s: its sequencer has not started.");
            }

            await Task.WhenAny(_handoff!.WaitForPublishAsync(cancellationToken), Task.Delay(TimeSpan.FromMilliseconds(250), _time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }

        try
        {
            await LoadAsync(discard: false, cancellationToken);
        }
        catch (LedgerCorruptException e) when (e.Message.StartsWith("checkpoint:", StringComparison.Ordinal))
        {
            throw new LedgerCorruptException(
                $"The log's published checkpoint does not verify under this process's log key ({e.Message}): every process on one log must use the same keys folder.",
                e);
        }

        _indexFollower.StartReading();
        _follower = Task.Run(FollowAsync, CancellationToken.None);
    }

    /// <summary>A front-end: refreshes the published state when it changes, until this process takes sequencing over.</summary>
    private async Task FollowAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var changed = _handoff!.WaitForPublishAsync(stop);
                await Task.WhenAny(changed, _handoff.Sequencing, Task.Delay(Timeout.Infinite, stop));
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                if (_handoff.Sequencing.IsCompleted)
                {
                    await _refresh.WaitAsync(stop);
                    try
                    {
                        await StartSequencingAsync(stop);
                    }
                    finally
                    {
                        _refresh.Release();
                    }

                    LedgerLog.TookOver(_logger, Size);
                    return;
                }

                await RefreshAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LedgerLog.FollowFailed(_logger, e);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), _time, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>A front-end: reads the published checkpoint and, when it is newer, moves the state to it.</summary>
    /// <remarks>
    /// Many callers at once (every handed-off append waiting for its index) share reads: a caller whose ask came
    /// before a refresh that read the store after it returns without reading again.
    /// </remarks>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var ask = Interlocked.Increment(ref _refreshAsked);
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_refreshCovered >= ask)
            {
                return;
            }

            var covers = Volatile.Read(ref _refreshAsked);
            if (_following && await _store.ReadCheckpointAsync(cancellationToken) is { } note && note != _state.SignedCheckpoint)
            {
                await LoadAsync(discard: false, cancellationToken);
            }

            _refreshCovered = covers;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>A front-end's append: queued for the sequencer, acknowledged from the published log.</summary>
    private async Task<AppendResult> HandOffAsync(EntryDraft draft, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var submitted = LeafCodec.Encode(new LedgerEntry(Origin, 0, default, time, draft));
        var index = await _handoff!.SubmitAsync(submitted, cancellationToken);
        while (_state.Size <= index)
        {
            if (_following)
            {
                await RefreshAsync(cancellationToken);
            }

            if (_state.Size <= index)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), _time, cancellationToken);
            }
        }

        var state = _state;
        var leaf = await _reader.LeafAsync(index, state, cancellationToken);
        var entry = LeafCodec.Parse(leaf);
        if (!LeafCodec.Encode(entry with { Index = 0, Prev = default, Time = time }).AsSpan().SequenceEqual(submitted))
        {
            throw new LedgerCorruptException($"The sequencer answered index {index} for an append, but entry {index} is another one.");
        }

        return new AppendResult(index, Rfc6962.HashLeaf(leaf), leaf, state.Size, state.SignedCheckpoint, entry);
    }

    /// <summary>
    /// Appends an entry and completes once it is durable and covered by a published checkpoint. Cancelling stops
    /// the wait, not the append: an append that was queued may still be committed.
    /// </summary>
    /// <exception cref="ArgumentException">The draft breaks the leaf format (kind, names, size limit).</exception>
    /// <exception cref="LedgerBusyException">The queue is full; retry later.</exception>
    /// <exception cref="ObjectDisposedException">The ledger is shutting down.</exception>
    public Task<AppendResult> AppendAsync(EntryDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (_fault is { } fault)
        {
            throw new InvalidOperationException("The ledger could not recover from a storage failure; restart it.", fault);
        }

        var now = _time.GetUtcNow();
        var time = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

        // Encode once with the largest index to reject drafts that could never fit before they take a place in the queue.
        _ = LeafCodec.Encode(new LedgerEntry(Origin, ulong.MaxValue, default, time, draft));

        if (_following)
        {
            return HandOffAsync(draft, time, cancellationToken);
        }

        return Enqueue(draft, time, cancellationToken);
    }

    /// <summary>
    /// Appends an entry handed off by a front-end of a shared log, with the time the sequencer fixed when it took it
    /// (<see cref="ISequencerHandoff.RunSequencerAsync"/>); otherwise as <see cref="AppendAsync"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">This process does not sequence the log.</exception>
    public Task<AppendResult> AppendHandedOffAsync(EntryDraft draft, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (_following)
        {
            throw new InvalidOperationException("Only the log's sequencer appends handed-off entries.");
        }

        if (_fault is { } fault)
        {
            throw new InvalidOperationException("The ledger could not recover from a storage failure; restart it.", fault);
        }

        _ = LeafCodec.Encode(new LedgerEntry(Origin, ulong.MaxValue, default, time, draft));
        return Enqueue(draft, time, cancellationToken);
    }

    private Task<AppendResult> Enqueue(EntryDraft draft, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var pending = new PendingAppend(draft, time, new TaskCompletionSource<AppendResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            if (_queue.Reader.Completion.IsCompleted || _stopping)
            {
                throw new ObjectDisposedException(nameof(EvidenceLedger), "The ledger is shutting down.");
            }

            throw new LedgerBusyException(
                $"The ledger's queue is full ({_options.MaxPendingAppends} appends waiting); retry shortly.");
        }

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Reads entry <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such entry in the latest checkpoint.</exception>
    public async Task<StoredEntry> GetEntryAsync(ulong index, CancellationToken cancellationToken = default)
    {
        var leaf = await _reader.LeafAsync(index, _state, cancellationToken);
        return new StoredEntry(index, Rfc6962.HashLeaf(leaf), leaf, LeafCodec.Parse(leaf));
    }

    /// <summary>
    /// Reads entries <paramref name="start"/> onwards, at most <paramref name="count"/> and only up to the end of
    /// <paramref name="start"/>'s entry bundle (256 entries): one bundle read, for followers that scan the log.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No such entry in the latest checkpoint.</exception>
    public async Task<IReadOnlyList<StoredEntry>> GetEntriesAsync(ulong start, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var state = _state;
        if (start >= state.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Entry {start} does not exist; the log has {state.Size} entries.");
        }

        var leaves = await _reader.BundleLeavesAsync(start / TileId.FullWidth, state, cancellationToken);
        var first = (int)(start % TileId.FullWidth);
        var n = Math.Min(count, leaves.Length - first);
        var entries = new StoredEntry[n];
        for (var i = 0; i < n; i++)
        {
            var leaf = leaves[first + i];
            entries[i] = new StoredEntry(start + (ulong)i, Rfc6962.HashLeaf(leaf), leaf, LeafCodec.Parse(leaf));
        }

        return entries;
    }

    /// <summary>The leaf hash of entry <paramref name="index"/>, read from the hash tiles (no entry bundle is read).</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such entry in the latest checkpoint.</exception>
    public async Task<Hash> LeafHashAsync(ulong index, CancellationToken cancellationToken = default)
    {
        var state = _state;
        if (index >= state.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Entry {index} does not exist; the log has {state.Size} entries.");
        }

        return await _reader.NodeHashAsync(new NodeId(0, index), state, cancellationToken);
    }

    /// <summary>
    /// The inclusion proof of entry <paramref name="index"/> in the tree of <paramref name="treeSize"/> entries.
    /// Requires index &lt; treeSize &lt;= <see cref="Size"/>.
    /// </summary>
    public async Task<Hash[]> InclusionProofAsync(ulong index, ulong treeSize, CancellationToken cancellationToken = default)
    {
        var state = _state;
        CheckSize(treeSize, state);
        if (index >= treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} is out of bounds for tree size {treeSize}.");
        }

        return await _reader.ProofAsync(ProofPlan.Inclusion(index, treeSize), state, cancellationToken);
    }

    /// <summary>
    /// The consistency proof from the tree of <paramref name="size1"/> entries to that of <paramref name="size2"/>.
    /// Requires 0 &lt; size1 &lt;= size2 &lt;= <see cref="Size"/>.
    /// </summary>
    public async Task<Hash[]> ConsistencyProofAsync(ulong size1, ulong size2, CancellationToken cancellationToken = default)
    {
        var state = _state;
        CheckSize(size2, state);
        if (size1 == 0 || size1 > size2)
        {
            throw new ArgumentOutOfRangeException(nameof(size1), $"Need 0 < size1 <= size2; got size1 {size1}, size2 {size2}.");
        }

        return await _reader.ProofAsync(ProofPlan.Consistency(size1, size2), state, cancellationToken);
    }

    /// <summary>The root hash of the tree of <paramref name="treeSize"/> entries (at most <see cref="Size"/>).</summary>
    public async Task<Hash> RootAtAsync(ulong treeSize, CancellationToken cancellationToken = default)
    {
        var state = _state;
        CheckSize(treeSize, state);
        return treeSize == 0 ? Rfc6962.EmptyRoot : await _reader.RangeHashAsync(new LeafRange(0, treeSize), state, cancellationToken);
    }

    /// <summary>The latest published checkpoint: size, root and signed note, read together.</summary>
    public PublishedCheckpoint Latest
    {
        get
        {
            var state = _state;
            return new PublishedCheckpoint(state.Size, state.Root, state.SignedCheckpoint);
        }
    }

    /// <summary>
    /// Reads a tile or entry bundle that the latest checkpoint covers, as the C2SP tlog-tiles file; null when the
    /// checkpoint does not cover it or it is not stored (an older partial tile). Tiles a batch wrote before its
    /// checkpoint was published are never returned, so a full tile once served never changes.
    /// </summary>
    public async Task<byte[]?> ReadPublishedTileAsync(TileId tile, CancellationToken cancellationToken = default)
    {
        var size = _state.Size;
        var covered = tile.IsEntryBundle ? size : TileMath.NodesAtTileLevel(tile.Level, size);
        if (tile.Index > covered / TileId.FullWidth || (tile.Index * TileId.FullWidth) + (ulong)tile.Width > covered)
        {
            return null;
        }

        return await _store.ReadTileAsync(tile, cancellationToken);
    }

    /// <summary>True once a storage failure could not be recovered from: appends are refused until restart.</summary>
    public bool IsFaulted => _fault is not null;

    /// <summary>
    /// How many entries the digest index holds (as this process last saw it). The index follows the published log and
    /// may lag it by up to <see cref="LedgerOptions.MaxIndexLag"/> entries: look-ups by leaf hash or digest miss the
    /// entries beyond it, while reads and proofs by index cover every acknowledged entry at once.
    /// </summary>
    public ulong IndexedSize => _indexFollower.IndexedSize;

    /// <summary>
    /// The index of the entry with this leaf hash, if the digest index has it (see <see cref="IndexedSize"/>: an entry
    /// acknowledged a moment ago may not be found yet; <see cref="FindByLeafHashAsync"/> waits for it).
    /// </summary>
    public ulong? FindByLeafHash(Hash leafHash) => _index.FindByLeafHash(leafHash) is { } i && i < _state.Size ? i : null;

    /// <summary>
    /// Indices of entries listing an artefact with this SHA-256 or SM3 digest, ascending, as the digest index has them
    /// (see <see cref="IndexedSize"/>; <see cref="FindByDigestAsync"/> waits for the entries published before the call).
    /// </summary>
    public IReadOnlyList<ulong> FindByDigest(Hash digest, int limit = 1000)
    {
        var size = _state.Size;
        return [.. _index.FindByDigest(digest, limit).Where(i => i < size)];
    }

    /// <summary>
    /// As <see cref="FindByLeafHash"/>, but when the entry is not found and the index lags the log, first waits (at most
    /// <see cref="LedgerOptions.IndexLookupWait"/>) for the index to hold every entry published before the call, so an
    /// entry acknowledged before the call is found.
    /// </summary>
    public async Task<ulong?> FindByLeafHashAsync(Hash leafHash, CancellationToken cancellationToken = default)
    {
        var size = _state.Size;
        if (FindByLeafHash(leafHash) is { } found)
        {
            return found;
        }

        return await WaitForIndexAsync(size, _options.IndexLookupWait, cancellationToken) ? FindByLeafHash(leafHash) : null;
    }

    /// <summary>
    /// As <see cref="FindByDigest"/>, after waiting (at most <see cref="LedgerOptions.IndexLookupWait"/>) for the index to
    /// hold every entry published before the call; when it still lags then, answers from what it holds.
    /// </summary>
    public async Task<IReadOnlyList<ulong>> FindByDigestAsync(Hash digest, int limit = 1000, CancellationToken cancellationToken = default)
    {
        await WaitForIndexAsync(_state.Size, _options.IndexLookupWait, cancellationToken);
        return FindByDigest(digest, limit);
    }

    /// <summary>
    /// Waits until the digest index holds the first <paramref name="size"/> entries, at most <paramref name="maxWait"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: no limit); false when it does not by then, or at once while writing the
    /// index fails (logged).
    /// </summary>
    public Task<bool> WaitForIndexAsync(ulong size, TimeSpan maxWait, CancellationToken cancellationToken = default) =>
        _indexFollower.WaitForAsync(size, maxWait, cancellationToken);

    /// <summary>Stops accepting appends, commits those already queued, and stops the sequencer.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        if (Interlocked.Exchange(ref _disposeStarted, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await _follower;
        try
        {
            // The handed-off appends the sequencer took are finished (and answered) before the queue closes.
            await _pump;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LedgerLog.SequencerFailed(_logger, e);
        }
        catch (OperationCanceledException)
        {
        }

        _queue.Writer.TryComplete();
        try
        {
            await _loop;
        }
        finally
        {
            // The sequencer's follower indexes what was published before it stops, so a clean stop leaves the index whole.
            await _indexFollower.DisposeAsync();
            _stop.Dispose();
        }
    }

    private static void CheckSize(ulong treeSize, TreeState state)
    {
        if (treeSize > state.Size)
        {
            throw new ArgumentOutOfRangeException(
                nameof(treeSize), $"Tree size {treeSize} is beyond the latest checkpoint ({state.Size}).");
        }
    }

    private async Task RunAsync()
    {
        try
        {
            await SequenceAsync();
        }
        catch (Exception e)
        {
            // A bug, not a storage failure (those fail their batch and reload): stop taking appends and fail the waiters.
            LedgerLog.SequencerFailed(_logger, e);
            _fault = e;
            _queue.Writer.TryComplete(e);
            while (_queue.Reader.TryRead(out var pending))
            {
                pending.Completion.TrySetException(new InvalidOperationException("The ledger's sequencer failed; restart it.", e));
            }

            throw;
        }
    }

    private async Task SequenceAsync()
    {
        var batch = new List<PendingAppend>(_options.MaxBatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            // Backpressure: a batch never takes the index further behind the log than allowed (it waits for the index).
            var max = Math.Min(_options.MaxBatchSize, await _indexFollower.RoomAsync(_state.Size));
            batch.Clear();
            while (batch.Count < max && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count < max && _options.MaxBatchDelay > TimeSpan.Zero)
            {
                await FillAsync(batch, reader, max);
            }

            await CommitAsync(batch);
        }
    }

    /// <summary>Adds appends that arrive within <see cref="LedgerOptions.MaxBatchDelay"/> of the batch's start, up to <paramref name="max"/>.</summary>
    private async Task FillAsync(List<PendingAppend> batch, ChannelReader<PendingAppend> reader, int max)
    {
        var deadline = _time.GetTimestamp() + (long)(_options.MaxBatchDelay.TotalSeconds * _time.TimestampFrequency);
        while (batch.Count < max)
        {
            while (batch.Count < max && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            var remaining = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            if (batch.Count >= max || remaining <= TimeSpan.Zero)
            {
                return;
            }

            var more = reader.WaitToReadAsync().AsTask();
            if (await Task.WhenAny(more, Task.Delay(remaining, _time)) != more || !await more)
            {
                return;
            }
        }
    }

    private async Task CommitAsync(List<PendingAppend> batch)
    {
        if (_fault is { } fault)
        {
            foreach (var p in batch)
            {
                p.Completion.TrySetException(new InvalidOperationException("The ledger is faulted; restart it.", fault));
            }

            return;
        }

        var state = _state;
        var accepted = new List<(PendingAppend Pending, byte[] Leaf, LedgerEntry Entry)>(batch.Count);
        var leafHashes = new Hash[batch.Count];
        var prev = state.LastLeafHash;
        var index = state.Size;
        foreach (var pending in batch)
        {
            try
            {
                var entry = new LedgerEntry(Origin, index, prev, pending.Time, pending.Draft);
                var leaf = LeafCodec.Encode(entry);
                prev = Rfc6962.HashLeaf(leaf);
                leafHashes[accepted.Count] = prev;
                accepted.Add((pending, leaf, entry));
                index++;
            }
            catch (ArgumentException e)
            {
                pending.Completion.TrySetException(e);
            }
        }

        if (accepted.Count == 0)
        {
            return;
        }

        try
        {
            var builder = new BatchBuilder(state, _cache);
            foreach (var a in accepted)
            {
                builder.AddLeaf(a.Leaf);
            }

            _appender.Append(leafHashes.AsSpan(0, accepted.Count), builder);
            var (partialTiles, partialBundle) = builder.Finish();
            var size = _appender.Size;
            var root = _appender.Root();
            var note = _checkpoints.Sign(size, root);
            var next = new TreeState(size, root, note, partialTiles, partialBundle, prev);

            await _store.WriteTilesAsync(builder.Writes, CancellationToken.None);
            await CheckConsistentAsync(state, next);
            await _store.PublishCheckpointAsync(note, CancellationToken.None);
            _state = next;
            LedgerLog.Committed(_logger, accepted.Count, size);
            RaisePublished(next);
        }
        catch (Exception e)
        {
            LedgerLog.BatchFailed(_logger, accepted.Count, e);
            foreach (var a in accepted)
            {
                a.Pending.Completion.TrySetException(e);
            }

            await ReloadAsync();
            return;
        }

        // Durable and published: acknowledged now, readable and provable by index. The index follows (IndexFollower).
        var published = _state;
        var indexed = new IndexedEntry[accepted.Count];
        for (var i = 0; i < accepted.Count; i++)
        {
            var (pending, leaf, entry) = accepted[i];
            indexed[i] = IndexedEntry.FromLeaf(entry.Index, leafHashes[i], entry);
            pending.Completion.TrySetResult(new AppendResult(entry.Index, leafHashes[i], leaf, published.Size, published.SignedCheckpoint, entry));
        }

        _indexFollower.Offer(indexed);
    }

    private void RaisePublished(TreeState state)
    {
        try
        {
            CheckpointPublished?.Invoke(new PublishedCheckpoint(state.Size, state.Root, state.SignedCheckpoint));
        }
        catch (Exception e)
        {
            LedgerLog.PublishedHandlerFailed(_logger, state.Size, e);
        }
    }

    private async Task CheckConsistentAsync(TreeState previous, TreeState next)
    {
        if (previous.Size == 0)
        {
            return;
        }

        var proof = await _reader.ProofAsync(ProofPlan.Consistency(previous.Size, next.Size), next, CancellationToken.None);
        var result = ConsistencyProof.Verify(previous.Size, next.Size, previous.Root, next.Root, proof);
        if (!result.IsValid)
        {
            throw new LedgerCorruptException(
                $"New checkpoint at size {next.Size} is not consistent with size {previous.Size}: {result.Message}.");
        }
    }

    private async Task ReloadAsync()
    {
        try
        {
            await LoadAsync(discard: true, CancellationToken.None);
        }
        catch (Exception e)
        {
            LedgerLog.Faulted(_logger, e);
            _fault = e;
        }
    }

    /// <summary>
    /// Loads the published state. The sequencer (<paramref name="discard"/>) publishes an empty log's first
    /// checkpoint and discards what an unfinished batch wrote beyond the checkpoint; a front-end only reads.
    /// </summary>
    private async Task LoadAsync(bool discard, CancellationToken cancellationToken)
    {
        var note = await _store.ReadCheckpointAsync(cancellationToken);
        if (note is null)
        {
            note = _checkpoints.Sign(0, Rfc6962.EmptyRoot);
            await _store.PublishCheckpointAsync(note, cancellationToken);
        }

        var checkpoint = _checkpoints.Open(note, "checkpoint");
        var size = checkpoint.Size;
        if (discard)
        {
            await _store.DiscardBeyondAsync(size, cancellationToken);
        }

        var levels = TileMath.TileLevels(size);
        var partials = new Hash[levels][];
        for (var level = 0; level < levels; level++)
        {
            var width = TileMath.PartialWidth(level, size);
            partials[level] = width == 0
                ? []
                : await ReadTileAsync(TileId.Hashes(level, TileMath.FullTiles(level, size), width), cancellationToken);
        }

        var bundleWidth = TileMath.PartialWidth(0, size);
        var bundle = bundleWidth == 0
            ? []
            : await _store.ReadTileAsync(TileId.Entries(TileMath.FullTiles(0, size), bundleWidth), cancellationToken)
                ?? throw new LedgerCorruptException($"Entry bundle {TileId.Entries(TileMath.FullTiles(0, size), bundleWidth)} is missing.");

        var partialState = new TreeState(size, checkpoint.Root, note, partials, bundle, default);
        var fringe = MerkleAppender.Fringe(size);
        var roots = new Hash[fringe.Length];
        for (var i = 0; i < fringe.Length; i++)
        {
            roots[i] = await _reader.NodeHashAsync(fringe[i], partialState, cancellationToken);
        }

        var appender = MerkleAppender.FromFringe(size, roots);
        if (appender.Root() != checkpoint.Root)
        {
            throw new LedgerCorruptException(
                $"The tiles give root {appender.Root()} at size {size}, but the checkpoint says {checkpoint.Root}.");
        }

        var last = size == 0 ? default : await _reader.NodeHashAsync(new NodeId(0, size - 1), partialState, cancellationToken);
        _appender = appender;
        _state = new TreeState(size, checkpoint.Root, note, partials, bundle, last);
    }

    private async Task<Hash[]> ReadTileAsync(TileId id, CancellationToken cancellationToken)
    {
        var bytes = await _store.ReadTileAsync(id, cancellationToken)
            ?? throw new LedgerCorruptException($"Tile {id} is missing.");
        return TreeReader.ParseTile(id, bytes);
    }
}
