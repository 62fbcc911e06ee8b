using System.Globalization;
using System.Security.Cryptography;
using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;

namespace EvidenceChain.Ledger.Tests;

/// <summary>
/// CheckpointTimestamper over a real ledger: every checkpoint stamped by the built-in TSA, the cadence mode's retries
/// and health, waiting for coverage, and stopping.
/// </summary>
public sealed class CheckpointTimestamperTests : IDisposable
{
    private static readonly NoteSigner Signer = NoteSigner.FromSeed("timestamper.test/log", new byte[32]);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TsaCredentials _credentials = TestTsa.Create();
    private readonly TimeStampAuthority _tsa;

    public CheckpointTimestamperTests()
    {
        _tsa = new TimeStampAuthority(_credentials, new CountingSerials(), TimeProvider.System, TimeSpan.FromSeconds(1));
    }

    public void Dispose() => _credentials.Dispose();

    private static EntryDraft Draft(int n) =>
        new("file", "t", [], new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture) });

    private static Task<EvidenceLedger> OpenLedgerAsync(MemoryLedgerStore store) =>
        EvidenceLedger.OpenAsync(
            store, new MemoryEntryIndex(), Signer, new LedgerOptions { MaxBatchDelay = TimeSpan.Zero }, TimeProvider.System, NullLogger<EvidenceLedger>.Instance);

    private static CheckpointTimestamper Timestamper(
        EvidenceLedger ledger, ITimestampSource source, ITimestampStore store, TimestampingMode mode, TimestampingOptions? options = null) =>
        new(ledger, source, store, mode, options ?? new TimestampingOptions(), TimeProvider.System, NullLogger<CheckpointTimestamper>.Instance);

    private static async Task AppendAsync(EvidenceLedger ledger, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await ledger.AppendAsync(Draft(i));
        }
    }

    private static async Task<T> EventuallyAsync<T>(Func<T> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}; last: {value}");
            await Task.Delay(20);
        }
    }

    private static ulong SizeOf(string signedNote) => ulong.Parse(signedNote.Split('\n')[1], CultureInfo.InvariantCulture);

    private void AssertTokenOverNoteText(StoredTimestamp stamp)
    {
        var response = new TimeStampResponse(stamp.Response);
        Assert.Equal(0, response.Status);
        var token = response.TimeStampToken;
        Assert.Equal(SHA256.HashData(CheckpointTimestamper.NoteText(stamp.SignedCheckpoint)), token.TimeStampInfo.GetMessageImprintDigest());
        token.Validate(DotNetUtilities.FromX509Certificate(_credentials.Certificate));
        Assert.Equal(stamp.Size, SizeOf(stamp.SignedCheckpoint));
    }

    [Fact]
    public void NoteText_IsTheSignedBodyWithoutTheSignatureLines()
    {
        const string note = "timestamper.test/log\n3\nq6uJ2Z3AbHkT6P9XqhUsHc3v6i1u1YQz0g5rRdNn0ro=\n\n\u2014 timestamper.test/log AAAA\n\u2014 witness BBBB\n";

        Assert.Equal("timestamper.test/log\n3\nq6uJ2Z3AbHkT6P9XqhUsHc3v6i1u1YQz0g5rRdNn0ro=\n"u8.ToArray(), CheckpointTimestamper.NoteText(note));
    }

    [Fact]
    public void NoteText_NoBlankLine_FormatException()
    {
        Assert.Throws<FormatException>(() => CheckpointTimestamper.NoteText("origin\n3\nroot\n\u2014 sig\n"));
    }

    [Fact]
    public async Task EveryCheckpoint_EachPublishedCheckpointGetsATokenOverItsNoteText()
    {
        const int n = 15;
        var store = new MemoryLedgerStore();
        await using var ledger = await OpenLedgerAsync(store);
        var stamps = new MemoryTimestampStore();
        await using var timestamper = Timestamper(ledger, _tsa, stamps, TimestampingMode.EveryCheckpoint);
        timestamper.Start();

        await AppendAsync(ledger, n);
        using var timeout = new CancellationTokenSource(Patience);
        var covering = await timestamper.WaitForCoverageAsync(n, timeout.Token);

        Assert.Equal((ulong)n, covering.Size);
        var published = store.History.Where(note => SizeOf(note) > 0).ToList();
        Assert.Equal(n, published.Count);
        Assert.Equal(published, stamps.All.Select(s => s.SignedCheckpoint));
        Assert.All(stamps.All, AssertTokenOverNoteText);
        Assert.Equal(new TimestampingStatus("built-in TSA", (ulong)n, timestamper.Status.LastSuccess, null, null), timestamper.Status);
        Assert.True(timestamper.Status.IsHealthy);
    }

    [Fact]
    public async Task WaitForCoverage_ReturnsTheEarliestCoveringToken()
    {
        await using var ledger = await OpenLedgerAsync(new MemoryLedgerStore());
        var stamps = new MemoryTimestampStore();
        await using var timestamper = Timestamper(ledger, _tsa, stamps, TimestampingMode.EveryCheckpoint);
        timestamper.Start();
        await AppendAsync(ledger, 6);
        using var timeout = new CancellationTokenSource(Patience);
        await timestamper.WaitForCoverageAsync(6, timeout.Token);

        var third = await timestamper.WaitForCoverageAsync(3, timeout.Token);

        Assert.Equal(3UL, third.Size);
        Assert.Equal(3UL, (await timestamper.FindCoveringAsync(3, timeout.Token))!.Size);
        Assert.Equal(6UL, timestamper.Latest!.Size);
    }

    [Fact]
    public async Task WaitForCoverage_BeforeTheEntriesExist_CompletesWhenTheyAreStamped()
    {
        await using var ledger = await OpenLedgerAsync(new MemoryLedgerStore());
        await using var timestamper = Timestamper(ledger, _tsa, new MemoryTimestampStore(), TimestampingMode.EveryCheckpoint);
        timestamper.Start();
        using var timeout = new CancellationTokenSource(Patience);

        var waiting = timestamper.WaitForCoverageAsync(4, timeout.Token);
        await AppendAsync(ledger, 3);
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted, "completed before entry 4 existed");
        await AppendAsync(ledger, 1);

        var covering = await waiting;
        Assert.Equal(4UL, covering.Size);
        AssertTokenOverNoteText(covering);
    }

    [Fact]
    public async Task Start_LatestCheckpointUnstamped_StampsItAtOnce()
    {
        var store = new MemoryLedgerStore();
        await using var ledger = await OpenLedgerAsync(store);
        await AppendAsync(ledger, 5);
        var stamps = new MemoryTimestampStore();
        await using var timestamper = Timestamper(ledger, _tsa, stamps, TimestampingMode.EveryCheckpoint);

        timestamper.Start();
        using var timeout = new CancellationTokenSource(Patience);
        var covering = await timestamper.WaitForCoverageAsync(1, timeout.Token);

        Assert.Equal(5UL, covering.Size); // checkpoints published before the start are covered by the latest one
        Assert.Equal(ledger.Latest.SignedNote, covering.SignedCheckpoint);
        AssertTokenOverNoteText(covering);
    }

    [Fact]
    public async Task Cadence_SourceFailsTwice_RetriedAndStamped()
    {
        await using var ledger = await OpenLedgerAsync(new MemoryLedgerStore());
        await AppendAsync(ledger, 3);
        var source = new ScriptedSource(_tsa) { FailuresLeft = 2 };
        var options = new TimestampingOptions { Interval = TimeSpan.FromMilliseconds(50), Attempts = 3 };
        await using var timestamper = Timestamper(ledger, source, new MemoryTimestampStore(), TimestampingMode.Cadence, options);

        timestamper.Start();
        using var timeout = new CancellationTokenSource(Patience);
        var covering = await timestamper.WaitForCoverageAsync(3, timeout.Token);

        Assert.Equal(3, source.Calls); // two failures, retried after 1 s and 2 s, then the token
        AssertTokenOverNoteText(covering);
        Assert.True(timestamper.Status.IsHealthy, timestamper.Status.ToString());
        Assert.Equal(3UL, timestamper.Status.LastStampedSize);
    }

    [Fact]
    public async Task Cadence_SourceFailing_UnhealthyWithTheReason_ThenHealthyOnceItAnswers()
    {
        await using var ledger = await OpenLedgerAsync(new MemoryLedgerStore());
        await AppendAsync(ledger, 2);
        var source = new ScriptedSource(_tsa) { Failing = true };
        var options = new TimestampingOptions { Interval = TimeSpan.FromMilliseconds(50), Attempts = 1 };
        await using var timestamper = Timestamper(ledger, source, new MemoryTimestampStore(), TimestampingMode.Cadence, options);

        timestamper.Start();
        var failing = await EventuallyAsync(() => timestamper.Status, s => s.LastError is not null, "an unhealthy status");
        Assert.False(failing.IsHealthy);
        Assert.Equal("scripted TSA: TSA down for the test", failing.LastError);
        Assert.NotNull(failing.LastFailure);
        Assert.Null(failing.LastStampedSize);
        Assert.Null(timestamper.Latest);

        var calls = source.Calls;
        await EventuallyAsync(() => source.Calls, c => c > calls + 1, "more attempts on the cadence"); // it keeps trying
        source.Failing = false;
        using var timeout = new CancellationTokenSource(Patience);
        var covering = await timestamper.WaitForCoverageAsync(2, timeout.Token);

        AssertTokenOverNoteText(covering);
        var healthy = timestamper.Status;
        Assert.True(healthy.IsHealthy, healthy.ToString());
        Assert.Null(healthy.LastFailure);
        Assert.Equal(2UL, healthy.LastStampedSize);
        Assert.NotNull(healthy.LastSuccess);
    }

    [Fact]
    public async Task Cadence_LogGrows_NextTickStampsTheLatest()
    {
        await using var ledger = await OpenLedgerAsync(new MemoryLedgerStore());
        await AppendAsync(ledger, 1);
        var stamps = new MemoryTimestampStore();
        var options = new TimestampingOptions { Interval = TimeSpan.FromMilliseconds(50) };
        await using var timestamper = Timestamper(ledger, _tsa, stamps, TimestampingMode.Cadence, options);
        timestamper.Start();
        using var timeout = new CancellationTokenSource(Patience);
        await timestamper.WaitForCoverageAsync(1, timeout.Token);

        await AppendAsync(ledger, 4);
        var covering = await timestamper.WaitForCoverageAsync(5, timeout.Token);

        Assert.Equal(5UL, covering.Size);
        Assert.Equal(ledger.Latest.SignedNote, covering.SignedCheckpoint);
        Assert.True(stamps.All.Count < 5, $"{stamps.All.Count} tokens: on a cadence not every checkpoint is stamped");
    }

    [Fact]
    public async Task Cadence_SourceNeverAnswers_UnhealthyAfterTheRequestTimeout()
    {
        await using var ledger = await OpenLedgerAsync(new MemoryLedgerStore());
        await AppendAsync(ledger, 1);
        var source = new ScriptedSource(_tsa) { Hang = true };
        var options = new TimestampingOptions { Interval = TimeSpan.FromMilliseconds(50), Attempts = 1, RequestTimeout = TimeSpan.FromMilliseconds(200) };
        await using var timestamper = Timestamper(ledger, source, new MemoryTimestampStore(), TimestampingMode.Cadence, options);

        timestamper.Start();
        var status = await EventuallyAsync(() => timestamper.Status, s => s.LastError is not null, "an unhealthy status");

        Assert.Equal("scripted TSA: no answer within 0.2 s", status.LastError);
    }

    [Fact]
    public async Task Dispose_CancelsWaiters()
    {
        await using var ledger = await OpenLedgerAsync(new MemoryLedgerStore());
        var timestamper = Timestamper(ledger, _tsa, new MemoryTimestampStore(), TimestampingMode.EveryCheckpoint);
        timestamper.Start();
        var waiting = timestamper.WaitForCoverageAsync(100, CancellationToken.None);

        await timestamper.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
    }

    [Fact]
    public async Task Dispose_StampInProgress_Abandoned()
    {
        await using var ledger = await OpenLedgerAsync(new MemoryLedgerStore());
        await AppendAsync(ledger, 1);
        var source = new ScriptedSource(_tsa) { Hang = true };
        var timestamper = Timestamper(ledger, source, new MemoryTimestampStore(), TimestampingMode.EveryCheckpoint);
        timestamper.Start();
        await EventuallyAsync(() => source.Calls, c => c > 0, "the stamp to start");
        var waiting = timestamper.WaitForCoverageAsync(1, CancellationToken.None);

        await timestamper.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
        Assert.True(timestamper.Status.IsHealthy, "stopping is not a TSA failure: " + timestamper.Status);
    }

    [Fact]
    public async Task WaitForCoverage_AfterDispose_Cancelled()
    {
        await using var ledger = await OpenLedgerAsync(new MemoryLedgerStore());
        var timestamper = Timestamper(ledger, _tsa, new MemoryTimestampStore(), TimestampingMode.EveryCheckpoint);
        timestamper.Start();
        await timestamper.DisposeAsync();

        var waiting = timestamper.WaitForCoverageAsync(100, CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task WaitForCoverage_Cancelled_Throws()
    {
        await using var ledger = await OpenLedgerAsync(new MemoryLedgerStore());
        await using var timestamper = Timestamper(ledger, _tsa, new MemoryTimestampStore(), TimestampingMode.EveryCheckpoint);
        timestamper.Start();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => timestamper.WaitForCoverageAsync(100, cancel.Token));
    }

    [Fact]
    public async Task UnexpectedExceptionFromTheSource_LoopSurvivesReportsItAndStampsOnceTheSourceRecovers()
    {
        await using var ledger = await OpenLedgerAsync(new MemoryLedgerStore());
        var stamps = new MemoryTimestampStore();
        var source = new ThrowingSource(_tsa) { Throw = true };
        await using var timestamper = Timestamper(ledger, source, stamps, TimestampingMode.EveryCheckpoint);
        timestamper.Start();
        await AppendAsync(ledger, 1);

        var failing = await EventuallyAsync(() => timestamper.Status, s => !s.IsHealthy, "the failure to be reported");
        Assert.Contains("InvalidCastException", failing.LastError, StringComparison.Ordinal);

        // Nothing else is appended: the loop must try again by itself (an idle log publishes nothing to wake it).
        source.Throw = false;
        await EventuallyAsync(() => stamps.Latest?.Size ?? 0, s => s >= 1, "the retry after the failure");
        await EventuallyAsync(() => timestamper.Status, s => s.IsHealthy, "health to return");
    }

    [Fact]
    public async Task WaitForCoverage_CancelledWaiters_AreNotKept()
    {
        await using var ledger = await OpenLedgerAsync(new MemoryLedgerStore());
        var stamps = new MemoryTimestampStore();
        await using var timestamper = Timestamper(ledger, _tsa, stamps, TimestampingMode.EveryCheckpoint);
        timestamper.Start();
        for (var i = 0; i < 100; i++)
        {
            using var cancel = new CancellationTokenSource();
            var wait = timestamper.WaitForCoverageAsync(1_000_000, cancel.Token);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        }

        var waiters = typeof(CheckpointTimestamper)
            .GetField("_waiters", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(timestamper)!;
        Assert.Equal(0, (int)waiters.GetType().GetProperty("Count")!.GetValue(waiters)!);
    }

    [Fact]
    public async Task Constructor_CadenceWithTinyInterval_Refused()
    {
        await using var ledger = await OpenLedgerAsync(new MemoryLedgerStore());

        Assert.Throws<ArgumentOutOfRangeException>(() => Timestamper(
            ledger, _tsa, new MemoryTimestampStore(), TimestampingMode.Cadence, new TimestampingOptions { Interval = TimeSpan.FromMilliseconds(1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Timestamper(
            ledger, _tsa, new MemoryTimestampStore(), TimestampingMode.EveryCheckpoint, new TimestampingOptions { Attempts = 0 }));
    }

    /// <summary>A source that fails with a type no retry filter knows, while <see cref="Throw"/> is set.</summary>
    private sealed class ThrowingSource(ITimestampSource inner) : ITimestampSource
    {
        public volatile bool Throw;

        public string Name => "throwing source";

        public Task<byte[]> TimestampAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
            Throw ? throw new InvalidCastException("malformed ASN.1 in the reply") : inner.TimestampAsync(data, cancellationToken);
    }

    /// <summary>An in-memory token store with the file store's contract.</summary>
    private sealed class MemoryTimestampStore : ITimestampStore
    {
        private readonly List<StoredTimestamp> _all = [];

        public IReadOnlyList<StoredTimestamp> All
        {
            get
            {
                lock (_all)
                {
                    return [.. _all];
                }
            }
        }

        public StoredTimestamp? Latest
        {
            get
            {
                lock (_all)
                {
                    return _all.Count > 0 ? _all[^1] : null;
                }
            }
        }

        public Task AppendAsync(IReadOnlyList<StoredTimestamp> timestamps, CancellationToken cancellationToken)
        {
            lock (_all)
            {
                foreach (var t in timestamps)
                {
                    if (_all.Count > 0 && t.Size <= _all[^1].Size)
                    {
                        throw new ArgumentException($"{t.Size} does not follow {_all[^1].Size}", nameof(timestamps));
                    }

                    _all.Add(t);
                }
            }

            return Task.CompletedTask;
        }

        public Task<StoredTimestamp?> FindCoveringAsync(ulong minimumSize, CancellationToken cancellationToken)
        {
            lock (_all)
            {
                return Task.FromResult(_all.FirstOrDefault(t => t.Size >= minimumSize));
            }
        }
    }

    /// <summary>A TSA that fails as scripted, or never answers, before passing requests to a real one.</summary>
    private sealed class ScriptedSource(ITimestampSource inner) : ITimestampSource
    {
        private int _calls;
        private int _failuresLeft;
        private volatile bool _failing;

        public int FailuresLeft { get => Volatile.Read(ref _failuresLeft); init => _failuresLeft = value; }

        public bool Failing { get => _failing; set => _failing = value; }

        public bool Hang { get; init; }

        public int Calls => Volatile.Read(ref _calls);

        public string Name => "scripted TSA";

        public async Task<byte[]> TimestampAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (_failing || Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                throw new TimestampException("TSA down for the test");
            }

            return await inner.TimestampAsync(data, cancellationToken);
        }
    }
}
