using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Notes;
using EvidenceChain.Ledger.Search;
using EvidenceChain.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EvidenceChain.Ledger.Tests.Search;

/// <summary>
/// <see cref="EntrySearch.RunAsync"/> outlives failures: one the next tick clears is a warning, a failure that persists
/// is an error from the third in a row, and a success starts the count again.
/// </summary>
public sealed class EntrySearchFollowTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Run_FailuresInARow_WarnTwiceThenError_SuccessResetsTheCount()
    {
        await using var ledger = await EvidenceLedger.OpenAsync(
            new MemoryLedgerStore(), new MemoryEntryIndex(), NoteSigner.FromSeed("search.test/log", new byte[32]),
            new LedgerOptions { MaxBatchDelay = TimeSpan.Zero }, TimeProvider.System, NullLogger<EvidenceLedger>.Instance);
        await ledger.AppendAsync(new EntryDraft(FileIntake.Kind, "alice", [], new Dictionary<string, string> { ["title"] = "one" }));
        var store = new FlakyStore { FailuresLeft = 4 };
        var logger = new ListLogger();
        using var search = await EntrySearch.OpenAsync(ledger, MemoryOpeningStore.NewOpenings(), store, logger);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var stop = new CancellationTokenSource();

        var run = search.RunAsync(Interval, time, stop.Token);

        // Attempt 1 runs at once; each later attempt waits for a tick.
        await logger.WaitForAsync(1);
        for (var attempt = 2; attempt <= 4; attempt++)
        {
            time.Advance(Interval);
            await logger.WaitForAsync(attempt);
        }

        Assert.Equal(
            [(LogLevel.Warning, 653), (LogLevel.Warning, 653), (LogLevel.Error, 652), (LogLevel.Error, 652)],
            logger.Entries);

        // Attempt 5 succeeds: the entry is followed, and nothing is logged.
        time.Advance(Interval);
        await WaitUntilAsync(() => search.Watermark == 1);
        Assert.Equal(4, logger.Entries.Count);

        // A new entry, and a new failure: a warning again, as the count started over.
        await ledger.AppendAsync(new EntryDraft(FileIntake.Kind, "alice", [], new Dictionary<string, string> { ["title"] = "two" }));
        store.FailuresLeft = 1;
        time.Advance(Interval);
        await logger.WaitForAsync(5);
        Assert.Equal((LogLevel.Warning, 653), logger.Entries[4]);

        time.Advance(Interval);
        await WaitUntilAsync(() => search.Watermark == 2);
        await stop.CancelAsync();
        await run;
        Assert.Equal(5, logger.Entries.Count);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>An in-memory store whose writes fail while <see cref="FailuresLeft"/> is above zero.</summary>
    private sealed class FlakyStore : ISearchStore
    {
        private readonly List<SearchRecord> _records = [];

        public int FailuresLeft { get; set; }

        public ulong Watermark { get; private set; }

        public Hash? LastLeafHash { get; private set; }

        public void Add(IReadOnlyList<SearchRecord> records, ulong watermark, Hash lastLeafHash)
        {
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                throw new IOException("the disk is busy");
            }

            _records.AddRange(records);
            Watermark = watermark;
            LastLeafHash = lastLeafHash;
        }

        public void Reset()
        {
            _records.Clear();
            Watermark = 0;
            LastLeafHash = null;
        }

        public IReadOnlyList<SearchRecord> Search(SearchQuery query) => [.. _records];
    }

    /// <summary>Keeps each log entry's level and event ID.</summary>
    private sealed class ListLogger : ILogger<EntrySearch>
    {
        private readonly List<(LogLevel, int)> _entries = [];

        public IReadOnlyList<(LogLevel Level, int Id)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public async Task WaitForAsync(int count) => await WaitUntilAsync(() => Entries.Count >= count);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add((logLevel, eventId.Id));
            }
        }
    }
}
