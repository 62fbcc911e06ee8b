using System.Globalization;
using System.Runtime.CompilerServices;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// Watches one upload's reads: each must bring data within <see cref="NodeLimits.UploadIdleTimeout"/>, and once
/// <see cref="NodeLimits.UploadRateGracePeriod"/> has passed, the bytes received must keep up with
/// <see cref="NodeLimits.MinUploadBytesPerSecond"/>. A read is cancelled as soon as either would be broken, so a
/// client trickling bytes cannot hold an upload slot, a temporary file and a request for long.
/// </summary>
/// <remarks>
/// One per upload; its reads are sequential. A read only notes when it started: one timer per upload, armed at the
/// first read, looks at the clock when it fires and either cancels the read in progress or arms itself for the next
/// deadline, so a fast upload costs one timer and one linked token source, not one (with a linked one) per read.
/// Dispose once the upload is over.
/// </remarks>
internal sealed class UploadPace : IDisposable
{
    private readonly NodeLimits _limits;
    private readonly TimeProvider _time;
    private readonly long _start;
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new(); // the timer's callback against the reader replacing the token source and Dispose
    private long _bytes;
    private long _readStart;
    private bool _reading;
    private bool _stalled; // which limit the timer cancelled a read for: the idle timeout, or else the rate
    private bool _disposed;
    private CancellationToken _callToken;
    private CancellationTokenSource? _cancel; // linked to the call's token; cancelled by the timer
    private ITimer? _timer;

    public UploadPace(NodeLimits limits, TimeProvider time)
    {
        _limits = limits;
        _time = time;
        _start = time.GetTimestamp();
    }

    /// <summary>Counts <paramref name="bytes"/> of content received.</summary>
    public void Received(long bytes) => Volatile.Write(ref _bytes, _bytes + bytes);

    /// <summary>Runs one read, cancelled when the upload stalls or falls below the minimum rate.</summary>
    /// <exception cref="UploadTooSlowException">The read was cancelled for either; the message names the setting.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))] // a read that waits for the network needs no new box
    public async ValueTask<T> ReadAsync<TState, T>(
        Func<TState, CancellationToken, ValueTask<T>> read, TState state, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        var (wait, _) = NextWait(now, now);
        if (wait == Timeout.InfiniteTimeSpan)
        {
            return await read(state, cancellationToken);
        }

        if (wait <= TimeSpan.Zero)
        {
            throw TooSlow();
        }

        var token = Arm(wait, now, cancellationToken);
        try
        {
            return await read(state, token);
        }
        catch (Exception) when (token.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Volatile.Read(ref _stalled) ? Stalled() : TooSlow();
        }
        finally
        {
            Volatile.Write(ref _reading, false);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _cancel?.Dispose();
        }
    }

    // Notes the read's start and returns the token it runs under; the first read creates the timer.
    private CancellationToken Arm(TimeSpan wait, long now, CancellationToken callToken)
    {
        if (_cancel is null || _cancel.IsCancellationRequested || callToken != _callToken)
        {
            // First read, or the timer fired just as the last read completed in time (and so is not armed): a fresh
            // source, and the timer armed for this read.
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _cancel?.Dispose();
                _callToken = callToken;
                _cancel = CancellationTokenSource.CreateLinkedTokenSource(callToken);
                if (_timer is null)
                {
                    _timer = _time.CreateTimer(static s => ((UploadPace)s!).OnTimer(), this, wait, Timeout.InfiniteTimeSpan);
                }
                else
                {
                    _timer.Change(wait, Timeout.InfiniteTimeSpan);
                }
            }
        }

        Volatile.Write(ref _readStart, now);
        Volatile.Write(ref _reading, true);
        return _cancel.Token;
    }

    private void OnTimer()
    {
        CancellationTokenSource? overdue = null;
        lock (_gate)
        {
            if (_disposed || _cancel is null)
            {
                return;
            }

            var now = _time.GetTimestamp();
            var reading = Volatile.Read(ref _reading);
            var (wait, idle) = NextWait(now, reading ? Volatile.Read(ref _readStart) : now);
            if (reading && wait <= TimeSpan.Zero)
            {
                Volatile.Write(ref _stalled, idle);
                overdue = _cancel;
            }
            else
            {
                // Between reads, the next read checks the rate itself: look again when a read started now would be due.
                _timer?.Change(wait > TimeSpan.Zero ? wait : Recheck, Timeout.InfiniteTimeSpan);
            }
        }

        try
        {
            overdue?.Cancel(); // outside the lock: cancelling runs the read's callbacks
        }
        catch (ObjectDisposedException)
        {
            // the upload ended meanwhile
        }
    }

    // How long the read that started at readStart may still take at `now`, and whether it is the idle limit (rather
    // than the rate) that bounds it; infinite when neither limit is on.
    private (TimeSpan Wait, bool Idle) NextWait(long now, long readStart)
    {
        var idle = _limits.UploadIdleTimeout > TimeSpan.Zero
            ? _limits.UploadIdleTimeout - _time.GetElapsedTime(readStart, now)
            : Timeout.InfiniteTimeSpan;
        if (_limits.MinUploadBytesPerSecond <= 0)
        {
            return (idle, true);
        }

        // The rate holds while elapsed <= bytes / rate, and always within the grace period.
        var covered = TimeSpan.FromSeconds((double)Volatile.Read(ref _bytes) / _limits.MinUploadBytesPerSecond);
        var rateWait = (covered > _limits.UploadRateGracePeriod ? covered : _limits.UploadRateGracePeriod) - _time.GetElapsedTime(_start, now);
        return idle != Timeout.InfiniteTimeSpan && idle <= rateWait ? (idle, true) : (rateWait, false);
    }

    private UploadTooSlowException Stalled() => new(string.Create(CultureInfo.InvariantCulture,
        $"The upload stalled: no data for {_limits.UploadIdleTimeout.TotalSeconds:0.###} s (Limits:UploadIdleTimeout); nothing was kept."));

    private UploadTooSlowException TooSlow() => new(string.Create(CultureInfo.InvariantCulture,
        $"The upload is too slow: {Volatile.Read(ref _bytes)} bytes in {_time.GetElapsedTime(_start).TotalSeconds:0.#} s, below {_limits.MinUploadBytesPerSecond} bytes per second (Limits:MinUploadBytesPerSecond, after Limits:UploadRateGracePeriod of {_limits.UploadRateGracePeriod.TotalSeconds:0.###} s); nothing was kept."));
}
