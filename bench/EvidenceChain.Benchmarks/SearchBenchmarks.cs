using System.Globalization;
using BenchmarkDotNet.Attributes;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger;
using EvidenceChain.Ledger.Search;
using EvidenceChain.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Benchmarks;

/// <summary>
/// Evidence search (<see cref="EntrySearch"/> over <see cref="LiteDbSearchStore"/>, what <c>SearchEntries</c> runs) on
/// a real data folder of 100,000 file entries from 4 submitter keys, pages of 50: the first page and a page half way
/// down for all entries (case manager) and for one key's (submitter), a text query that one entry in 1,000 matches,
/// a text query nothing matches (a scan of every entry), and a digest query.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class SearchBenchmarks : IDisposable
{
    private const int Entries = 100_000;
    private const int PageSize = 50;
    private string _path = string.Empty;
    private FileLedger? _ledger;
    private LiteDbSearchStore? _store;
    private EntrySearch? _search;
    private Hash _digest;

    [GlobalSetup]
    public async Task Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), "ec-bench-search-" + Guid.NewGuid().ToString("N"));
        var options = new LedgerOptions { MaxBatchSize = 4096, MaxBatchDelay = TimeSpan.FromMilliseconds(5), MaxPendingAppends = 8192 };
        _ledger = await FileLedger.OpenAsync(_path, "bench.example/log", options, TimeProvider.System, NullLoggerFactory.Instance);
        var pending = new List<Task>(4096);
        for (var i = 0; i < Entries; i++)
        {
            pending.Add(_ledger.Ledger.AppendAsync(Draft(i)));
            if (pending.Count == 4096)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
        _digest = Digest(Entries / 3);
        _store = new LiteDbSearchStore(_ledger.Folder);
        var openings = new EntryOpenings(_ledger.Openings, CommitmentAlgorithm.Sha256, System.Security.Cryptography.RandomNumberGenerator.Fill);
        _search = await EntrySearch.OpenAsync(_ledger.Ledger, openings, _store, NullLogger<EntrySearch>.Instance);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await _search.CatchUpAsync();
        Console.WriteLine($"// catch-up of {Entries} entries: {clock.ElapsedMilliseconds} ms; search.db {new FileInfo(Path.Combine(_path, LiteDbSearchStore.FileName)).Length} bytes");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        Dispose();
        if (_ledger is not null)
        {
            await _ledger.DisposeAsync();
        }

        Directory.Delete(_path, recursive: true);
    }

    public void Dispose()
    {
        _search?.Dispose();
        _store?.Dispose();
        _search = null;
        _store = null;
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public Task<IReadOnlyList<SearchRecord>> FirstPage() => _search!.SearchAsync(new SearchQuery { Limit = PageSize });

    [Benchmark]
    public Task<IReadOnlyList<SearchRecord>> LaterPage() => _search!.SearchAsync(new SearchQuery { Limit = PageSize, Before = Entries / 2 });

    [Benchmark]
    public Task<IReadOnlyList<SearchRecord>> SubmitterFirstPage() => _search!.SearchAsync(new SearchQuery { Limit = PageSize, Submitter = "k0000000000000002" });

    [Benchmark]
    public Task<IReadOnlyList<SearchRecord>> SubmitterLaterPage() =>
        _search!.SearchAsync(new SearchQuery { Limit = PageSize, Submitter = "k0000000000000002", Before = Entries / 2 });

    [Benchmark]
    public Task<IReadOnlyList<SearchRecord>> TextQuery() => _search!.SearchAsync(new SearchQuery { Limit = PageSize, Text = "CONTRACT-7" });

    [Benchmark]
    public Task<IReadOnlyList<SearchRecord>> TextQueryNoMatch() => _search!.SearchAsync(new SearchQuery { Limit = PageSize, Text = "no such words" });

    [Benchmark]
    public Task<IReadOnlyList<SearchRecord>> DigestQuery() => _search!.SearchAsync(new SearchQuery { Limit = PageSize, Digest = _digest });

    private static Hash Digest(int i) => new(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)));

    private static EntryDraft Draft(int i)
    {
        var artefact = new Artefact("file", "application/pdf", 10_000 + i, Digest(i));
        var n = i.ToString(CultureInfo.InvariantCulture);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["file-name"] = i % 1000 == 7 ? $"contract-7-{n}.pdf" : $"photo-{n}.jpg",
            ["title"] = $"Evidence item {n} of the Li v. Zhang Co. dispute",
        };
        return new EntryDraft("file", "k000000000000000" + (i % 4).ToString(CultureInfo.InvariantCulture), [artefact], attributes);
    }
}
