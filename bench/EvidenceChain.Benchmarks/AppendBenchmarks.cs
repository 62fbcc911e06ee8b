using BenchmarkDotNet.Attributes;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger;
using EvidenceChain.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Benchmarks;

/// <summary>
/// Durable append throughput through the sequencer into a real data folder: each operation is 20,000 appends of
/// about 1 KiB leaves from concurrent callers, each acknowledged only after its batch's files and folders are
/// fsync'd and the checkpoint is published. Reported per entry: entries/s = 1 / mean.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 7)]
public class AppendBenchmarks
{
    private const int Appends = 20_000;
    private string _path = string.Empty;
    private FileLedger? _ledger;
    private EntryDraft _draft = null!;

    [Params(1024, 4096)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), "ec-bench-" + Guid.NewGuid().ToString("N"));
        var options = new LedgerOptions { MaxBatchSize = BatchSize, MaxBatchDelay = TimeSpan.FromMilliseconds(5), MaxPendingAppends = Appends * 2 };
        _ledger = await FileLedger.OpenAsync(_path, "bench.example/log", options, TimeProvider.System, NullLoggerFactory.Instance);
        var artefact = new Artefact("evidence.pdf", "application/pdf", 123_456, Hash.Parse(new string('a', 64)), Hash.Parse(new string('b', 64)));
        _draft = new EntryDraft("file", "bench-submitter", [artefact], new Dictionary<string, string>
        {
            ["title"] = "Infringing copy of a photograph",
            ["description"] = new string('d', 620),
        });
        var leaf = LeafCodec.Encode(new LedgerEntry("bench.example/log", 1_000_000, default, DateTimeOffset.UnixEpoch, _draft));
        Console.WriteLine($"// leaf size {leaf.Length} bytes");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        if (_ledger is not null)
        {
            await _ledger.DisposeAsync();
        }

        Directory.Delete(_path, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Appends, Description = "durable append, ~1 KiB leaves (per entry)")]
    public async Task Append()
    {
        var tasks = new Task[Appends];
        for (var i = 0; i < Appends; i++)
        {
            tasks[i] = _ledger!.Ledger.AppendAsync(_draft);
        }

        await Task.WhenAll(tasks);
    }
}
