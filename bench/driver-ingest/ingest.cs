#:project ../../src/EvidenceChain.Storage/EvidenceChain.Storage.csproj
#:project ../../src/EvidenceChain.Storage.Postgres/EvidenceChain.Storage.Postgres.csproj
#:property RestorePackagesWithLockFile=false
#:property Optimize=true
// Ingest of 1 KiB files through EvidenceLedger, side by side on the files driver (a data folder) and on the postgres
// driver: each "file" is stored as a blob (hashed, committed durably) and then appended as an entry listing it, as the
// node's intake does. Run by bench/driver-ingest/run.sh, which starts a throw-away PostgreSQL cluster (fsync on).
// Usage: dotnet run ingest.cs -- CONNECTION_STRING [COUNT] [IN_FLIGHT]
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Notes;
using EvidenceChain.Ledger;
using EvidenceChain.Storage;
using EvidenceChain.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

var connection = args[0];
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
var inFlight = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 256;
var options = new LedgerOptions();
var signer = NoteSigner.FromSeed("bench.example/log", new byte[32]);
Console.WriteLine($"{count} files of 1 KiB, {inFlight} in flight, {Environment.ProcessorCount} cores");

var folder = Path.Combine(Path.GetTempPath(), "ec-bench-" + Guid.NewGuid().ToString("N")[..8]);
await using (var files = await FileLedger.OpenAsync(folder, "bench.example/log", options, TimeProvider.System, NullLoggerFactory.Instance))
{
    await RunAsync("files", files.Blobs, files.Ledger);
}

Directory.Delete(folder, recursive: true);
await using (var driver = await PostgresDriver.OpenAsync(new PostgresOptions { ConnectionString = connection, Schema = "bench_" + Guid.NewGuid().ToString("N")[..8] }, TimeProvider.System))
await using (var ledger = await EvidenceLedger.OpenAsync(driver.Log, driver.Index, signer, options, TimeProvider.System, NullLogger<EvidenceLedger>.Instance))
{
    await RunAsync("postgres", driver.Blobs, ledger);
}

async Task RunAsync(string name, IBlobStore blobs, EvidenceLedger ledger)
{
    var latencies = new double[count];
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
    {
        var content = new byte[1024];
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var start = Stopwatch.GetTimestamp();
            RandomNumberGenerator.Fill(content);
            await using var upload = blobs.BeginUpload(withSm3: false);
            await upload.WriteAsync(content, CancellationToken.None);
            var digests = await upload.CompleteAsync(CancellationToken.None);
            await upload.CommitAsync(CancellationToken.None);
            var draft = new EntryDraft("file", "bench", [new Artefact("file", "application/octet-stream", digests.Size, digests.Sha256, null)],
                new Dictionary<string, string> { ["n"] = i.ToString(CultureInfo.InvariantCulture) });
            await ledger.AppendAsync(draft);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    })));
    var seconds = clock.Elapsed.TotalSeconds;
    Array.Sort(latencies);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-9} {count / seconds,8:F0} files/s acknowledged durable; latency p50 {latencies[count / 2],6:F1} ms, p99 {latencies[(int)(count * 0.99)],6:F1} ms; ledger size {ledger.Size}"));
}
