using System.Globalization;
using System.Text;
using System.Threading.Channels;
using EvidenceChain.Core;
using EvidenceChain.Ledger.Internal;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Ledger.Witnessing;

/// <summary>
/// Collects cosignatures of the log's checkpoints from its witnesses (C2SP tlog-witness, as the log). After a
/// checkpoint is published, a round sends the latest checkpoint to every witness at once, with a consistency proof
/// from the size each last cosigned; the cosignatures returned are appended to the checkpoint and stored. Rounds
/// are coalesced (at most one per <see cref="CosigningOptions.MinInterval"/>, always the latest checkpoint), so all
/// witnesses are asked about the same checkpoint and it can meet the quorum.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. Nothing here is on the append path: the sequencer only signals a channel. Each request is bounded
/// by <see cref="CosigningOptions.RequestTimeout"/>; a witness that failed is skipped until its back-off has passed
/// (doubling from <see cref="CosigningOptions.FirstRetryDelay"/> to <see cref="CosigningOptions.MaxRetryDelay"/>),
/// so a dead or hanging witness delays the other witnesses' next cosignature by at most one time-out per attempt.
/// </para>
/// <para>
/// A 409 answer names the size the witness holds: the request is sent again from that size. A witness holding a
/// larger size than the log, or refusing the proof from its own size (its tree of that size is not this log's), is a
/// conflict: logged as an error and reported by <see cref="Status"/> until it cosigns again.
/// </para>
/// </remarks>
public sealed class CheckpointCosigner : IAsyncDisposable
{
    private static readonly TimeSpan MaxRoundWait = TimeSpan.FromSeconds(2);
    private readonly EvidenceLedger _ledger;
    private readonly Slot[] _slots;
    private readonly ICosignatureStore _store;
    private readonly CosigningOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly SizeWaiters<CosignedCheckpoint> _waiters = new();
    private Task _loop = Task.CompletedTask;
    private CosignatureState _state;
    private bool _policyWasMet = true;
    private int _disposed;

    /// <summary>Creates the cosigner; <see cref="Start"/> begins its work.</summary>
    /// <exception cref="ArgumentException">No witnesses, two with the same name, or a quorum outside 1..n.</exception>
    public CheckpointCosigner(
        EvidenceLedger ledger,
        IReadOnlyList<IWitnessClient> witnesses,
        ICosignatureStore store,
        CosigningOptions options,
        TimeProvider time,
        ILogger<CheckpointCosigner> logger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(witnesses);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (witnesses.Count == 0)
        {
            throw new ArgumentException("At least one witness is needed.", nameof(witnesses));
        }

        if (witnesses.Select(w => w.Name).Distinct(StringComparer.Ordinal).Count() != witnesses.Count)
        {
            throw new ArgumentException("Two witnesses have the same name.", nameof(witnesses));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.Quorum, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Quorum, witnesses.Count, nameof(options));
        _ledger = ledger;
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _state = store.Current;
        _slots = [.. witnesses.Select(w => new Slot(w, _state.Witnesses.FirstOrDefault(r => r.Name == w.Name)?.Size ?? 0))];
    }

    /// <summary>The number of witnesses whose cosignatures meet the policy.</summary>
    public int Quorum => _options.Quorum;

    /// <summary>The newest checkpoint with at least one cosignature, or null.</summary>
    public CosignedCheckpoint? Latest => Volatile.Read(ref _state).Latest;

    /// <summary>The newest checkpoint cosigned by at least <see cref="Quorum"/> witnesses, or null.</summary>
    public CosignedCheckpoint? LatestQuorum => Volatile.Read(ref _state).Quorum;

    /// <summary>Each witness's progress, whether the policy is met, and why not.</summary>
    public CosigningStatus Status
    {
        get
        {
            var now = _time.GetUtcNow();
            var size = _ledger.Size;
            var witnesses = new List<WitnessStatus>(_slots.Length);
            foreach (var slot in _slots)
            {
                lock (slot.Gate)
                {
                    witnesses.Add(new WitnessStatus(slot.Client.Name, slot.CosignedSize, slot.LastSuccess, slot.LastFailure, slot.LastError, slot.Conflict));
                }
            }

            var current = witnesses.Where(w => w.CosignedSize >= size || (w.LastSuccess is { } t && now - t <= _options.MaxLag)).ToList();
            var met = current.Count >= _options.Quorum;
            var problems = new List<string>();
            if (!met)
            {
                var failing = witnesses.Where(w => w.LastError is not null).Select(w => $"{w.Name}: {w.LastError}");
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{current.Count} of the {_options.Quorum} witnesses needed cosigned a recent checkpoint (the latest, or one within {_options.MaxLag.TotalSeconds:0.#} s); {string.Join("; ", failing.DefaultIfEmpty("none answered yet"))}"));
            }

            problems.AddRange(witnesses.Where(w => w.Conflict is not null).Select(w => $"conflict at witness {w.Name}: {w.Conflict}"));
            return new CosigningStatus(_options.Quorum, witnesses, LatestQuorum?.Size, met, problems.Count == 0 ? null : string.Join("; ", problems));
        }
    }

    /// <summary>Starts listening for checkpoints and sends the latest one at once.</summary>
    public void Start()
    {
        // A process that took sequencing over starts from what the previous sequencer saved, not from what it read at
        // open (the store re-reads it at takeover).
        var saved = _store.Current;
        lock (_lock)
        {
            Volatile.Write(ref _state, saved);
        }

        foreach (var slot in _slots)
        {
            lock (slot.Gate)
            {
                slot.KnownSize = Math.Max(slot.KnownSize, saved.Witnesses.FirstOrDefault(r => r.Name == slot.Client.Name)?.Size ?? 0);
            }
        }

        _ledger.CheckpointPublished += OnPublished;
        _wake.Writer.TryWrite(true);
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>
    /// The newest checkpoint meeting the quorum once its size is at least <paramref name="size"/>, waiting for one
    /// if none is stored yet.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled, or the cosigner stopped.</exception>
    public async Task<CosignedCheckpoint> WaitForQuorumAsync(ulong size, CancellationToken cancellationToken)
    {
        Task<CosignedCheckpoint> wait;
        lock (_lock)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                throw new OperationCanceledException("The cosigner has stopped.");
            }

            if (_state.Quorum is { } quorum && quorum.Size >= size)
            {
                return quorum;
            }

            wait = _waiters.Add(size);
        }

        try
        {
            return await wait.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                _waiters.Remove(wait);
            }

            throw;
        }
    }

    /// <summary>Stops; a round in progress is abandoned, and waiters are cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _ledger.CheckpointPublished -= OnPublished;
        _wake.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        lock (_lock)
        {
            _waiters.CancelAll();
        }

        _stop.Dispose();
    }

    private void OnPublished(PublishedCheckpoint checkpoint) => _wake.Writer.TryWrite(true);

    private async Task RunAsync()
    {
        var stop = _stop.Token;
        DateTimeOffset? lastRound = null;
        while (!stop.IsCancellationRequested)
        {
            if (!await WaitForWorkAsync(stop))
            {
                return;
            }

            if (lastRound is { } last && _time.GetUtcNow() - last < _options.MinInterval)
            {
                await Task.Delay(_options.MinInterval - (_time.GetUtcNow() - last), _time, stop);
            }

            lastRound = _time.GetUtcNow();
            try
            {
                await RoundAsync(_ledger.Latest, stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                CosignLog.RoundFailed(_logger, e);
            }
        }
    }

    /// <summary>Waits for a published checkpoint, or for the earliest retry of a witness that has not cosigned the latest one.</summary>
    private async Task<bool> WaitForWorkAsync(CancellationToken stop)
    {
        var latest = _ledger.Size;
        var retries = _slots.Where(s => s.IsIdle && s.NeedsRetry(latest)).Select(s => s.NextAttempt).ToList();
        if (retries.Count == 0)
        {
            return await _wake.Reader.WaitToReadAsync(stop) && _wake.Reader.TryRead(out _);
        }

        var delay = retries.Min() - _time.GetUtcNow();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var woken = _wake.Reader.WaitToReadAsync(wait.Token).AsTask();
        var timer = delay > TimeSpan.Zero ? Task.Delay(delay, _time, wait.Token) : Task.CompletedTask;
        await Task.WhenAny(woken, timer);
        await wait.CancelAsync();
        stop.ThrowIfCancellationRequested();
        _wake.Reader.TryRead(out _);
        return !_wake.Reader.Completion.IsCompleted;
    }

    private async Task RoundAsync(PublishedCheckpoint checkpoint, CancellationToken stop)
    {
        if (checkpoint.Size == 0)
        {
            return; // nothing to witness yet
        }

        var now = _time.GetUtcNow();
        var started = new List<Task>();
        foreach (var slot in _slots.Where(s => s.IsIdle && !s.HasCosigned(checkpoint) && s.NextAttempt <= now))
        {
            var submit = SubmitAsync(slot, checkpoint, stop);
            slot.InFlight = submit;
            started.Add(submit);
        }

        if (started.Count > 0)
        {
            // A slow or hanging witness must not hold back the others' cosignatures: its request goes on, and when it
            // ends (cosigned or failed) it wakes the loop, whose next round collects it.
            var all = Task.WhenAll(started);
            using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(stop);
            await Task.WhenAny(all, Task.Delay(RoundWait, _time, giveUp.Token));
            await giveUp.CancelAsync();
            stop.ThrowIfCancellationRequested();
        }

        var cosigned = _slots.Select(s => (s.Client.Name, Line: s.LineFor(checkpoint))).Where(c => c.Line is not null).ToList();
        var state = _state;
        var latest = state.Latest;
        var quorum = state.Quorum;
        var records = _slots.Select(s => new WitnessRecord(s.Client.Name, s.CosignedSize)).ToList();
        var grew = cosigned.Count > 0 && (latest is null || latest.Size != checkpoint.Size || latest.Witnesses.Count < cosigned.Count);
        if (!grew && records.SequenceEqual(state.Witnesses))
        {
            ReportPolicy(checkpoint.Size, cosigned.Count);
            return; // nothing new to store
        }

        if (grew)
        {
            var note = new StringBuilder(checkpoint.SignedNote);
            foreach (var (_, line) in cosigned)
            {
                note.Append(line);
            }

            latest = new CosignedCheckpoint(checkpoint.Size, note.ToString(), [.. cosigned.Select(c => c.Name)]);
            if (cosigned.Count >= _options.Quorum)
            {
                quorum = latest;
            }
        }

        var next = new CosignatureState(latest, quorum, records);
        try
        {
            await _store.SaveAsync(next, stop);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CosignLog.StoreFailed(_logger, checkpoint.Size, e);
            return; // served and receipted only once durable
        }

        lock (_lock)
        {
            _state = next;
        }

        CosignLog.Cosigned(_logger, checkpoint.Size, cosigned.Count, _slots.Length);
        ReportPolicy(checkpoint.Size, cosigned.Count);
        ReleaseWaiters();
    }

    private void ReportPolicy(ulong size, int count)
    {
        var status = Status;
        if (status.PolicyMet == _policyWasMet)
        {
            return;
        }

        _policyWasMet = status.PolicyMet;
        if (status.PolicyMet)
        {
            CosignLog.PolicyMet(_logger, size, count);
        }
        else
        {
            CosignLog.PolicyUnmet(_logger, status.Problem ?? "too few witnesses cosign");
        }
    }

    /// <summary>How long a round waits for its requests before it stores what it has (at most the request time-out).</summary>
    private TimeSpan RoundWait => _options.RequestTimeout < MaxRoundWait ? _options.RequestTimeout : MaxRoundWait;

    private async Task SubmitAsync(Slot slot, PublishedCheckpoint checkpoint, CancellationToken stop)
    {
        await Task.Yield(); // the round records the task before it runs
        try
        {
            await SubmitOnceAsync(slot, checkpoint, stop);
        }
        finally
        {
            _wake.Writer.TryWrite(true);
        }
    }

    private async Task SubmitOnceAsync(Slot slot, PublishedCheckpoint checkpoint, CancellationToken stop)
    {
        var name = slot.Client.Name;
        try
        {
            ulong? learned = null; // a size the witness told us in this round
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var old = slot.KnownSize;
                if (old > checkpoint.Size)
                {
                    Conflict(slot, string.Create(CultureInfo.InvariantCulture,
                        $"it holds a checkpoint of size {old} for this log, larger than this log's {checkpoint.Size}"));
                    return;
                }

                var proof = old == 0 || old == checkpoint.Size ? [] : await _ledger.ConsistencyProofAsync(old, checkpoint.Size, stop);
                WitnessAnswer answer;
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
                {
                    timeout.CancelAfter(_options.RequestTimeout);
                    try
                    {
                        answer = await slot.Client.AddCheckpointAsync(old, proof, checkpoint.SignedNote, timeout.Token);
                    }
                    catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                    {
                        throw new WitnessException($"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s");
                    }
                }

                switch (answer.Outcome)
                {
                    case WitnessOutcome.Cosigned:
                        slot.Succeeded(checkpoint, answer.CosignatureLine!, _time.GetUtcNow());
                        return;
                    case WitnessOutcome.Conflict when answer.WitnessSize != old:
                        slot.KnownSize = answer.WitnessSize; // 409 tells the size it holds: prove from there
                        learned = answer.WitnessSize;
                        continue;
                    case WitnessOutcome.Conflict:
                        Conflict(slot, string.Create(CultureInfo.InvariantCulture,
                            $"it refuses checkpoint {checkpoint.Size} although it holds size {old}: it holds another tree of that size"));
                        return;
                    case WitnessOutcome.BadProof when learned == old || old == 0:
                        Conflict(slot, string.Create(CultureInfo.InvariantCulture,
                            $"it refuses the consistency proof from its size {old} to {checkpoint.Size}: its checkpoint of size {old} is not this log's"));
                        return;
                    case WitnessOutcome.BadProof:
                        slot.KnownSize = 0; // what we remembered may be stale: ask again from 0 to learn its size
                        continue;
                }
            }

            throw new WitnessException("its answers kept changing the size it holds");
        }
        catch (Exception e) when (e is WitnessException && !stop.IsCancellationRequested)
        {
            var delay = slot.Failed(e.Message, _time.GetUtcNow(), _options.FirstRetryDelay, _options.MaxRetryDelay);
            CosignLog.Failed(_logger, name, checkpoint.Size, e.Message, delay);
        }
    }

    private void Conflict(Slot slot, string reason)
    {
        // Logged before the status shows it, so whoever sees the conflict in the health report finds it in the log.
        if (slot.Conflict != reason)
        {
            CosignLog.Conflict(_logger, slot.Client.Name, reason);
        }

        slot.Conflicted(reason, _time.GetUtcNow(), _options.MaxRetryDelay);
    }

    private void ReleaseWaiters()
    {
        lock (_lock)
        {
            if (_state.Quorum is not { } quorum)
            {
                return;
            }

            _waiters.Release(quorum.Size, quorum);
        }
    }

    /// <summary>One witness's progress. Written by the loop only; read under its lock by <see cref="Status"/>.</summary>
    private sealed class Slot(IWitnessClient client, ulong size)
    {
        private int _failures;
        private Hash? _cosignedRoot;

        public IWitnessClient Client { get; } = client;

        public Lock Gate { get; } = new();

        /// <summary>The size the witness is believed to hold (the old size to send).</summary>
        public ulong KnownSize { get; set; } = size;

        public ulong CosignedSize { get; private set; } = size;

        /// <summary>The cosignature line over the checkpoint of <see cref="CosignedSize"/> and <see cref="_cosignedRoot"/>.</summary>
        public string? Line { get; private set; }

        public DateTimeOffset? LastSuccess { get; private set; }

        public DateTimeOffset? LastFailure { get; private set; }

        public string? LastError { get; private set; }

        public string? Conflict { get; private set; }

        public DateTimeOffset NextAttempt { get; private set; } = DateTimeOffset.MinValue;

        /// <summary>The request in progress, if any: at most one per witness.</summary>
        public Task? InFlight { get; set; }

        public bool IsIdle => InFlight is null || InFlight.IsCompleted;

        public bool HasCosigned(PublishedCheckpoint checkpoint) => LineFor(checkpoint) is not null;

        /// <summary>The cosignature line over <paramref name="checkpoint"/>, if the witness cosigned it last.</summary>
        public string? LineFor(PublishedCheckpoint checkpoint)
        {
            lock (Gate)
            {
                return CosignedSize == checkpoint.Size && _cosignedRoot == checkpoint.Root ? Line : null;
            }
        }

        public bool NeedsRetry(ulong latestSize) => LastError is not null && !(Line is not null && CosignedSize == latestSize);

        public void Succeeded(PublishedCheckpoint checkpoint, string line, DateTimeOffset now)
        {
            lock (Gate)
            {
                KnownSize = checkpoint.Size;
                CosignedSize = checkpoint.Size;
                _cosignedRoot = checkpoint.Root;
                Line = line;
                LastSuccess = now;
                LastFailure = null;
                LastError = null;
                Conflict = null;
                _failures = 0;
                NextAttempt = DateTimeOffset.MinValue;
            }
        }

        public TimeSpan Failed(string reason, DateTimeOffset now, TimeSpan first, TimeSpan max)
        {
            lock (Gate)
            {
                _failures++;
                var delay = TimeSpan.FromTicks(Math.Min(max.Ticks, first.Ticks * (1L << Math.Min(_failures - 1, 20))));
                LastFailure = now;
                LastError = reason;
                NextAttempt = now + delay;
                return delay;
            }
        }

        public void Conflicted(string reason, DateTimeOffset now, TimeSpan retry)
        {
            lock (Gate)
            {
                Conflict = reason;
                LastFailure = now;
                LastError = "conflict: " + reason;
                NextAttempt = now + retry;
                KnownSize = 0; // ask again from 0 next time, to learn what it holds then
            }
        }
    }
}
