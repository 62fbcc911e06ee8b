using System.Text;
using System.Threading.Channels;
using EvidenceChain.Core.Notes;
using EvidenceChain.Ledger.Internal;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Ledger.Timestamping;

/// <summary>
/// Obtains an RFC 3161 token over the note text of published checkpoints and stores it. In
/// <see cref="TimestampingMode.EveryCheckpoint"/> (the built-in TSA) every published checkpoint is stamped, in order;
/// in <see cref="TimestampingMode.Cadence"/> (an external TSA) the latest checkpoint is stamped every interval when
/// the log has grown, with retries. Either way the latest checkpoint is stamped at start when it has no token, so a
/// crash never leaves the log's newest entries without one for longer than a stamp takes.
/// </summary>
/// <remarks>
/// Thread-safe. What is stamped is the checkpoint's note text, the signed body (<c>origin\nsize\nroot\n</c>), not the
/// signature lines: a token stays valid when cosignatures are added. A failed stamp is logged and reported by
/// <see cref="Status"/>; its entries are covered by the next checkpoint stamped.
/// </remarks>
public sealed class CheckpointTimestamper : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    private readonly EvidenceLedger _ledger;
    private readonly ITimestampSource _source;
    private readonly ITimestampStore _store;
    private readonly TimestampingMode _mode;
    private readonly TimestampingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<PublishedCheckpoint> _published = Channel.CreateBounded<PublishedCheckpoint>(
        new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly SizeWaiters<StoredTimestamp> _waiters = new();
    private Task _loop = Task.CompletedTask;
    private volatile bool _started;
    private volatile TimestampingStatus _status;
    private int _disposed;

    /// <summary>Creates the timestamper; <see cref="Start"/> begins its work.</summary>
    public CheckpointTimestamper(
        EvidenceLedger ledger,
        ITimestampSource source,
        ITimestampStore store,
        TimestampingMode mode,
        TimestampingOptions options,
        TimeProvider time,
        ILogger<CheckpointTimestamper> logger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Attempts, 1, nameof(options));
        if (mode == TimestampingMode.Cadence)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(options.Interval, TimeSpan.FromMilliseconds(10), nameof(options));
        }

        _ledger = ledger;
        _source = source;
        _store = store;
        _mode = mode;
        _options = options;
        _time = time;
        _logger = logger;
        _status = new TimestampingStatus(source.Name, store.Latest?.Size, null, null, null);
    }

    /// <summary>
    /// The authority, the last stamped size, and the last failure if the latest attempt failed; unhealthy too if the
    /// stamping loop has stopped while the timestamper is in use.
    /// </summary>
    public TimestampingStatus Status => _loop.IsCompleted && Volatile.Read(ref _disposed) == 0 && _started
        ? _status with { LastFailure = _status.LastFailure ?? _time.GetUtcNow(), LastError = _status.LastError ?? "the stamping loop has stopped; restart the node" }
        : _status;

    /// <summary>The stamped checkpoint with the largest size, or null.</summary>
    internal StoredTimestamp? Latest => _store.Latest;

    /// <summary>The earliest stored token covering <paramref name="size"/> entries, or null when none does yet.</summary>
    public Task<StoredTimestamp?> FindCoveringAsync(ulong size, CancellationToken cancellationToken) =>
        _store.FindCoveringAsync(size, cancellationToken);

    /// <summary>The source of tokens.</summary>
    public ITimestampSource Source => _source;

    /// <summary>Extracts the bytes a checkpoint's token covers: the note text, up to and including the blank line's first newline.</summary>
    /// <exception cref="FormatException">The signed note has no blank line.</exception>
    internal static byte[] NoteText(string signedNote) =>
        Encoding.UTF8.GetBytes(SignedNote.TextOf(signedNote)
            ?? throw new FormatException("A signed note separates its text from its signatures with a blank line; this one has none."));

    /// <summary>Starts listening for checkpoints and stamps the latest one if it has no token.</summary>
    public void Start()
    {
        if (_mode == TimestampingMode.EveryCheckpoint)
        {
            _ledger.CheckpointPublished += OnPublished;
        }

        _published.Writer.TryWrite(_ledger.Latest);
        _loop = Task.Run(RunAsync, CancellationToken.None);
        _started = true;
    }

    /// <summary>
    /// The earliest stored token covering <paramref name="size"/> entries (a checkpoint of at least that size),
    /// waiting for one to be made if none is stored yet.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled, or the timestamper stopped.</exception>
    public async Task<StoredTimestamp> WaitForCoverageAsync(ulong size, CancellationToken cancellationToken)
    {
        if (!_started && _ledger.Sequencing is { IsCompleted: false })
        {
            // A front-end of a shared log: the sequencer's process stamps; its tokens show up in the shared store.
            return await PollCoverageAsync(size, cancellationToken);
        }

        Task<StoredTimestamp> wait;
        lock (_lock)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                throw new OperationCanceledException("The timestamper has stopped.");
            }

            if (_store.Latest is { } latest && latest.Size >= size)
            {
                wait = Task.FromResult(latest);
            }
            else
            {
                wait = _waiters.Add(size);
            }
        }

        try
        {
            await wait.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                _waiters.Remove(wait);
            }

            throw;
        }

        return await _store.FindCoveringAsync(size, cancellationToken) ?? await wait;
    }

    private async Task<StoredTimestamp> PollCoverageAsync(ulong size, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                throw new OperationCanceledException("The timestamper has stopped.");
            }

            if (await _store.FindCoveringAsync(size, cancellationToken) is { } found)
            {
                return found;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken);
        }
    }

    /// <summary>Stops stamping; a stamp in progress is abandoned, and waiters are cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _ledger.CheckpointPublished -= OnPublished;
        _published.Writer.TryComplete();
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

    private void OnPublished(PublishedCheckpoint checkpoint) => _published.Writer.TryWrite(checkpoint);

    private async Task RunAsync()
    {
        var stop = _stop.Token;
        var batch = new List<PublishedCheckpoint>();
        using var timer = _mode == TimestampingMode.Cadence ? new PeriodicTimer(_options.Interval, _time) : null;
        while (!stop.IsCancellationRequested)
        {
            batch.Clear();
            if (timer is null || _published.Reader.Count > 0)
            {
                if (!await _published.Reader.WaitToReadAsync(stop))
                {
                    return;
                }

                while (_published.Reader.TryRead(out var checkpoint))
                {
                    batch.Add(checkpoint);
                }
            }
            else
            {
                if (!await timer.WaitForNextTickAsync(stop))
                {
                    return;
                }

                batch.Add(_ledger.Latest);
            }

            if (_mode == TimestampingMode.Cadence && batch.Count > 1)
            {
                batch.RemoveRange(0, batch.Count - 1); // on a cadence, only the latest matters
            }

            try
            {
                await StampAsync(batch, stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                // Whatever went wrong, the loop lives on: the status says so, and the next round tries again.
                TimestampLog.RoundFailed(_logger, e);
                _status = _status with { LastFailure = _time.GetUtcNow(), LastError = $"{_source.Name}: {e.GetType().Name}: {e.Message}" };
            }

            if (!_status.IsHealthy && _mode == TimestampingMode.EveryCheckpoint)
            {
                // An idle log publishes nothing that would wake the loop: try the latest checkpoint again soon.
                await Task.Delay(RetryAfterFailure, _time, stop);
                _published.Writer.TryWrite(_ledger.Latest);
            }
        }
    }

    private async Task StampAsync(List<PublishedCheckpoint> checkpoints, CancellationToken stop)
    {
        var last = _store.Latest?.Size ?? 0;
        var stamped = new List<StoredTimestamp>(checkpoints.Count);
        foreach (var checkpoint in checkpoints)
        {
            if (checkpoint.Size <= last)
            {
                continue; // the empty log, or already stamped (a restart, or the start-up stamp raced a publish)
            }

            var response = await StampWithRetriesAsync(checkpoint, stop);
            if (response is null)
            {
                break; // the next checkpoint stamped covers this one's entries
            }

            stamped.Add(new StoredTimestamp(checkpoint.Size, checkpoint.SignedNote, response));
            last = checkpoint.Size;
        }

        if (stamped.Count == 0)
        {
            return;
        }

        try
        {
            await _store.AppendAsync(stamped, stop);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TimestampLog.StoreFailed(_logger, stamped[^1].Size, e);
            _status = _status with { LastFailure = _time.GetUtcNow(), LastError = $"storing the token failed: {e.Message}" };
            return;
        }

        _status = _status with { LastStampedSize = last, LastSuccess = _time.GetUtcNow(), LastFailure = null, LastError = null };
        TimestampLog.Stamped(_logger, stamped.Count, last);
        ReleaseWaiters();
    }

    private async Task<byte[]?> StampWithRetriesAsync(PublishedCheckpoint checkpoint, CancellationToken stop)
    {
        var data = NoteText(checkpoint.SignedNote);
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(_options.RequestTimeout);
                return await _source.TimestampAsync(data, timeout.Token);
            }
            catch (Exception e) when (e is TimestampException or IOException
                                          || (e is OperationCanceledException && !stop.IsCancellationRequested))
            {
                var reason = e is OperationCanceledException ? $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s" : e.Message;
                if (attempt >= _options.Attempts)
                {
                    TimestampLog.Failed(_logger, _source.Name, checkpoint.Size, attempt, reason);
                    _status = _status with { LastFailure = _time.GetUtcNow(), LastError = $"{_source.Name}: {reason}" };
                    return null;
                }

                TimestampLog.Retrying(_logger, _source.Name, checkpoint.Size, attempt, reason);
                await Task.Delay(delay, _time, stop);
                delay *= 2;
            }
        }
    }

    private void ReleaseWaiters()
    {
        var latest = _store.Latest;
        if (latest is null)
        {
            return;
        }

        lock (_lock)
        {
            _waiters.Release(latest.Size, latest);
        }
    }
}
