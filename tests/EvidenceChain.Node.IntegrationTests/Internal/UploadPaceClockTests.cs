using EvidenceChain.Node.Internal;
using Microsoft.Extensions.Time.Testing;

namespace EvidenceChain.Node.IntegrationTests.Internal;

/// <summary>
/// <see cref="UploadPace"/> on a fake clock: a read is cancelled exactly when its idle timeout or the minimum rate
/// runs out, and the one timer it keeps per upload never cancels a read early, also when it fires between reads.
/// </summary>
public sealed class UploadPaceClockTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task ReadAsync_DataInTime_ReturnsWhatTheReadReturned()
    {
        using var pace = new UploadPace(Limits(rate: 0), _time);

        for (var i = 0; i < 5; i++)
        {
            var read = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            var pending = ReadAsync(pace, read);
            _time.Advance(Idle - TimeSpan.FromMilliseconds(1));
            read.SetResult(i);

            Assert.Equal(i, await pending);
        }
    }

    [Fact]
    public async Task ReadAsync_NoDataForTheIdleTimeout_StalledNamingTheSetting()
    {
        using var pace = new UploadPace(Limits(rate: 0), _time);
        var read = new TaskCompletionSource<int>();

        var pending = ReadAsync(pace, read);
        _time.Advance(Idle - TimeSpan.FromMilliseconds(1));
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var e = await Assert.ThrowsAsync<UploadTooSlowException>(() => pending);
        Assert.Contains("Limits:UploadIdleTimeout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TimerFiresBetweenReads_NextReadGetsItsWholeIdleTimeout()
    {
        using var pace = new UploadPace(Limits(rate: 0), _time);
        Assert.Equal(1, await ReadAsync(pace, Completed(1)));

        // The upload is busy elsewhere for longer than the timeout: no read is waiting, nothing to cancel.
        _time.Advance(Idle + TimeSpan.FromSeconds(5));
        Assert.Equal(2, await ReadAsync(pace, Completed(2)));

        var read = new TaskCompletionSource<int>();
        var pending = ReadAsync(pace, read);
        _time.Advance(Idle - TimeSpan.FromMilliseconds(1));
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<UploadTooSlowException>(() => pending);
    }

    [Fact]
    public async Task ReadAsync_ReadCompletesAsTheTimerFires_LaterReadsStillWatched()
    {
        using var pace = new UploadPace(Limits(rate: 0), _time);

        // A read that finishes with its data although the timer cancelled it at its deadline.
        var late = new TaskCompletionSource<int>();
        var pending = pace.ReadAsync(static (r, _) => new ValueTask<int>(r.Task), late, CancellationToken.None).AsTask();
        _time.Advance(Idle);
        late.SetResult(1);
        Assert.Equal(1, await pending);

        var read = new TaskCompletionSource<int>();
        var next = ReadAsync(pace, read);
        Assert.False(next.IsCompleted);
        _time.Advance(Idle);

        // Not armed again, the timer would leave this read waiting: fail after a real 10 s rather than hang.
        await Assert.ThrowsAsync<UploadTooSlowException>(() => next.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ReadAsync_BelowTheRateAfterTheGracePeriod_TooSlowNamingTheSetting()
    {
        using var pace = new UploadPace(Limits(rate: 100), _time);
        Assert.Equal(1, await ReadAsync(pace, Completed(1)));
        pace.Received(1_500); // covers 15 s at 100 bytes/s

        var read = new TaskCompletionSource<int>();
        var pending = ReadAsync(pace, read);
        _time.Advance(TimeSpan.FromSeconds(15) - TimeSpan.FromMilliseconds(1));
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var e = await Assert.ThrowsAsync<UploadTooSlowException>(() => pending);
        Assert.Contains("Limits:MinUploadBytesPerSecond", e.Message, StringComparison.Ordinal);
        Assert.Contains("1500 bytes in 15 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_RateBrokenBeforeTheRead_TooSlowWithoutReading()
    {
        using var pace = new UploadPace(Limits(rate: 100), _time);
        _time.Advance(TimeSpan.FromSeconds(11)); // past the 10 s grace period with nothing received
        var read = new TaskCompletionSource<int>();

        await Assert.ThrowsAsync<UploadTooSlowException>(() => ReadAsync(pace, read));
        Assert.False(read.Task.IsCompleted);
    }

    [Fact]
    public async Task ReadAsync_CallCancelled_CancellationNotTooSlow()
    {
        using var pace = new UploadPace(Limits(rate: 100), _time);
        using var call = new CancellationTokenSource();
        var read = new TaskCompletionSource<int>();

        var pending = ReadAsync(pace, read, call.Token);
        await call.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task ReadAsync_LimitsOff_NeverCancelled()
    {
        using var pace = new UploadPace(new NodeLimits { UploadIdleTimeout = TimeSpan.Zero, MinUploadBytesPerSecond = 0 }, _time);
        var read = new TaskCompletionSource<int>();

        var pending = ReadAsync(pace, read);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.False(pending.IsCompleted);
        read.SetResult(7);

        Assert.Equal(7, await pending);
    }

    private static NodeLimits Limits(long rate) => new()
    {
        UploadIdleTimeout = Idle, MinUploadBytesPerSecond = rate, UploadRateGracePeriod = TimeSpan.FromSeconds(10),
    };

    private static TaskCompletionSource<int> Completed(int value)
    {
        var read = new TaskCompletionSource<int>();
        read.SetResult(value);
        return read;
    }

    private static Task<int> ReadAsync(UploadPace pace, TaskCompletionSource<int> read, CancellationToken cancellationToken = default) =>
        pace.ReadAsync(static (r, token) => new ValueTask<int>(r.Task.WaitAsync(token)), read, cancellationToken).AsTask();
}
