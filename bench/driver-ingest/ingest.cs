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
    await RunAsync("files", [(files.Blobs, files.Ledger)]);
}

Directory.Delete(folder, recursive: true);
await using (var driver = await PostgresDriver.OpenAsync(new PostgresOptions { ConnectionString = connection, Schema = "bench_" + Guid.NewGuid().ToString("N")[..8] }, TimeProvider.System))
await using (var ledger = await EvidenceLedger.OpenAsync(driver.Log, driver.Index, signer, options, TimeProvider.System, NullLogger<EvidenceLedger>.Instance))
{
    await RunAsync("postgres", [(driver.Blobs, ledger)]);
}

// Two front-ends (each its own pool, as two processes would have) on one schema: the first sequences, the second hands
// its appends to it through the database; the load is split between them. Then the sequencer "dies" (its lease
// connection is terminated, as a killed process's is) and the time until the other sequences is measured.
var shared = new PostgresOptions
{
    ConnectionString = connection + ";Maximum Pool Size=45", Schema = "bench_" + Guid.NewGuid().ToString("N")[..8], Shared = true, LeaseRetry = TimeSpan.FromMilliseconds(250),
};
var sequencerDriver = await PostgresDriver.OpenAsync(shared, TimeProvider.System);
var sequencer = await EvidenceLedger.OpenAsync(
    sequencerDriver.Log, sequencerDriver.Index, signer, null, sequencerDriver.Handoff, options, TimeProvider.System, NullLogger<EvidenceLedger>.Instance);
await using (var frontDriver = await PostgresDriver.OpenAsync(shared, TimeProvider.System))
await using (var front = await EvidenceLedger.OpenAsync(
    frontDriver.Log, frontDriver.Index, signer, null, frontDriver.Handoff, options, TimeProvider.System, NullLogger<EvidenceLedger>.Instance))
{
    await RunAsync("postgres, 2 front-ends", [(sequencerDriver.Blobs, sequencer), (frontDriver.Blobs, front)]);
    var died = Stopwatch.StartNew();
    // As when the sequencer's process is killed: the server ends its lease connection (the advisory lock goes with it).
    await using (var admin = Npgsql.NpgsqlDataSource.Create(connection))
    await using (var kill = admin.CreateCommand("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted"))
    {
        await kill.ExecuteNonQueryAsync();
    }

    await front.Sequencing;
    var tookOver = died.Elapsed;
    await front.AppendAsync(new EntryDraft("file", "bench", [], new Dictionary<string, string> { ["after"] = "failover" }));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"failover: the front-end sequences {tookOver.TotalMilliseconds:F0} ms after the sequencer's lease connection died (lease retry 250 ms); first append after it at size {front.Size}"));
    try
    {
        await sequencer.DisposeAsync();
    }
    catch (Exception)
    {
        // The deposed sequencer may not drain.
    }

    await sequencerDriver.DisposeAsync();
}

async Task RunAsync(string name, (IBlobStore Blobs, EvidenceLedger Ledger)[] fronts)
{
    var first = fronts[0].Ledger;
    var latencies = new double[count];
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, inFlight).Select(worker => Task.Run(async () =>
    {
        var (blobs, ledger) = fronts[worker % fronts.Length];
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
        $"{name,-23} {count / seconds,8:F0} files/s acknowledged durable; latency p50 {latencies[count / 2],6:F1} ms, p99 {latencies[(int)(count * 0.99)],6:F1} ms; ledger size {first.Size}"));
}
