using System.Globalization;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// Watches one upload's reads: each must bring data within <see cref="NodeLimits.UploadIdleTimeout"/>, and once
/// <see cref="NodeLimits.UploadRateGracePeriod"/> has passed, the bytes received must keep up with
/// <see cref="NodeLimits.MinUploadBytesPerSecond"/>. A read is cancelled as soon as either would be broken, so a
/// client trickling bytes cannot hold an upload slot, a temporary file and a request for long.
/// </summary>
/// <remarks>One per upload; not thread-safe (an upload's reads are sequential).</remarks>
internal sealed class UploadPace
{
    private readonly NodeLimits _limits;
    private readonly TimeProvider _time;
    private readonly long _start;
    private long _bytes;

    public UploadPace(NodeLimits limits, TimeProvider time)
    {
        _limits = limits;
        _time = time;
        _start = time.GetTimestamp();
    }

    /// <summary>Counts <paramref name="bytes"/> of content received.</summary>
    public void Received(long bytes) => _bytes += bytes;

    /// <summary>Runs one read, cancelled when the upload stalls or falls below the minimum rate.</summary>
    /// <exception cref="UploadTooSlowException">The read was cancelled for either; the message names the setting.</exception>
    public async ValueTask<T> ReadAsync<T>(Func<CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken)
    {
        var (wait, idle) = NextWait(_time.GetElapsedTime(_start));
        if (wait == Timeout.InfiniteTimeSpan)
        {
            return await read(cancellationToken);
        }

        if (wait <= TimeSpan.Zero)
        {
            throw TooSlow();
        }

        using var timeout = new CancellationTokenSource(wait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await read(linked.Token);
        }
        catch (Exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw idle ? Stalled() : TooSlow();
        }
    }

    // How long the next read may take, and whether it is the idle limit (rather than the rate) that bounds it.
    private (TimeSpan Wait, bool Idle) NextWait(TimeSpan elapsed)
    {
        var idle = _limits.UploadIdleTimeout > TimeSpan.Zero ? _limits.UploadIdleTimeout : Timeout.InfiniteTimeSpan;
        if (_limits.MinUploadBytesPerSecond <= 0)
        {
            return (idle, true);
        }

        // The rate holds while elapsed <= bytes / rate, and always within the grace period.
        var covered = TimeSpan.FromSeconds((double)_bytes / _limits.MinUploadBytesPerSecond);
        var rateWait = (covered > _limits.UploadRateGracePeriod ? covered : _limits.UploadRateGracePeriod) - elapsed;
        return idle != Timeout.InfiniteTimeSpan && idle <= rateWait ? (idle, true) : (rateWait, false);
    }

    private UploadTooSlowException Stalled() => new(string.Create(CultureInfo.InvariantCulture,
        $"The upload stalled: no data for {_limits.UploadIdleTimeout.TotalSeconds:0.###} s (Limits:UploadIdleTimeout); nothing was kept."));

    private UploadTooSlowException TooSlow() => new(string.Create(CultureInfo.InvariantCulture,
        $"The upload is too slow: {_bytes} bytes in {_time.GetElapsedTime(_start).TotalSeconds:0.#} s, below {_limits.MinUploadBytesPerSecond} bytes per second (Limits:MinUploadBytesPerSecond, after Limits:UploadRateGracePeriod of {_limits.UploadRateGracePeriod.TotalSeconds:0.###} s); nothing was kept."));
}
