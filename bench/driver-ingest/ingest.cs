#:project ../../src/EvidenceChain.Storage/EvidenceChain.Storage.csproj
#:project ../../src/EvidenceChain.Storage.Postgres/EvidenceChain.Storage.Postgres.csproj
#:property RestorePackagesWithLockFile=false
#:property Optimize=true
// Ingest of 1 KiB files through EvidenceLedger, side by side on the files driver (a data folder) and on the postgres
// driver: each "file" is stored as a blob (hashed, committed durably) and then appended as an entry listing it, as the
// node's intake does; then inclusion proofs by index on each. Run by bench/driver-ingest/run.sh, which starts a
// throw-away PostgreSQL cluster (fsync on).
// Usage: dotnet run ingest.cs -- CONNECTION_STRING [COUNT] [IN_FLIGHT] [CASES]
// CASES: a comma-separated list of files, postgres, fronts (two front-ends in this process, then a failover),
// processes (two front-ends in two processes: this one sequences, a child process it starts hands its appends over);
// default all four.
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Notes;
using EvidenceChain.Ledger;
using EvidenceChain.Storage;
using EvidenceChain.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

if (args[0] == "--front")
{
    // The child of the "processes" case: a front-end of the shared log in its own process.
    await FrontProcessAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture), args[5]);
    return;
}

var connection = args[0];
var profile = await Profile.OpenAsync(connection, Environment.GetEnvironmentVariable("EVIDENCECHAIN_BENCH_POSTGRES_PID"));
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
var inFlight = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 256;
var cases = (args.Length > 3 ? args[3] : "files,postgres,fronts,processes").Split(',');
var options = new LedgerOptions();
var signer = Bench.Signer;
Console.WriteLine($"{count} files of 1 KiB, {inFlight} in flight, {Environment.ProcessorCount} cores");

var folder = Path.Combine(Path.GetTempPath(), "ec-bench-" + Guid.NewGuid().ToString("N")[..8]);
if (cases.Contains("files"))
{
    await using (var files = await FileLedger.OpenAsync(folder, "bench.example/log", options, TimeProvider.System, NullLoggerFactory.Instance))
    {
        await RunAsync("files", [(files.Blobs, files.Ledger)]);
        await ProofsAsync("files, proofs", files.Ledger);
    }

    // Proofs with no tile cache: every full tile a proof needs is read from the data folder.
    await using (var files = await FileLedger.OpenAsync(folder, "bench.example/log", new LedgerOptions { TileCacheSize = 1 }, TimeProvider.System, NullLoggerFactory.Instance))
    {
        await ProofsAsync("files, proofs, no cache", files.Ledger);
    }

    Directory.Delete(folder, recursive: true);
}

if (cases.Contains("postgres"))
{
    var single = new PostgresOptions { ConnectionString = connection, Schema = "bench_" + Guid.NewGuid().ToString("N")[..8] };
    await using (var driver = await PostgresDriver.OpenAsync(single, TimeProvider.System))
    await using (var ledger = await EvidenceLedger.OpenAsync(driver.Log, driver.Index, signer, options, TimeProvider.System, NullLogger<EvidenceLedger>.Instance))
    {
        await RunAsync("postgres", [(driver.Blobs, ledger)]);
        await ProofsAsync("postgres, proofs", ledger);
    }

    await using (var driver = await PostgresDriver.OpenAsync(single, TimeProvider.System))
    await using (var ledger = await EvidenceLedger.OpenAsync(
        driver.Log, driver.Index, signer, new LedgerOptions { TileCacheSize = 1 }, TimeProvider.System, NullLogger<EvidenceLedger>.Instance))
    {
        await ProofsAsync("postgres, proofs, no cache", ledger);
    }
}

// Two front-ends (each its own pool, as two processes would have) on one schema: the first sequences, the second hands
// its appends to it through the database; the load is split between them. Then the sequencer "dies" (its lease
// connection is terminated, as a killed process's is) and the time until the other sequences is measured.
if (cases.Contains("fronts"))
{
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
}

// Two front-ends in two processes: this one sequences and takes half the load; a child process (this program with
// --front) opens the log as a front-end and takes the other half, handing its appends over through the database.
if (cases.Contains("processes"))
{
    // Each process its pool of 45 connections, as in "fronts" (the throw-away cluster allows 100).
    var shared = new PostgresOptions { ConnectionString = connection + ";Maximum Pool Size=45", Schema = "bench_" + Guid.NewGuid().ToString("N")[..8], Shared = true };
    await using var driver = await PostgresDriver.OpenAsync(shared, TimeProvider.System);
    await using var ledger = await EvidenceLedger.OpenAsync(
        driver.Log, driver.Index, signer, null, driver.Handoff, options, TimeProvider.System, NullLogger<EvidenceLedger>.Instance);
    var childLatencies = Path.GetTempFileName();
    var self = Environment.ProcessPath!;
    var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet")
    {
        start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]); // the program's dll
    }

    foreach (var a in (string[])["--front", shared.ConnectionString, shared.Schema, (count / 2).ToString(CultureInfo.InvariantCulture), (inFlight / 2).ToString(CultureInfo.InvariantCulture), childLatencies])
    {
        start.ArgumentList.Add(a);
    }

    using var child = Process.Start(start)!;
    if (await child.StandardOutput.ReadLineAsync() != "ready")
    {
        throw new InvalidOperationException("The front-end process did not start.");
    }

    var before = await profile.SnapshotAsync();
    var clock = Stopwatch.StartNew();
    await child.StandardInput.WriteLineAsync("go");
    await child.StandardInput.FlushAsync();
    var here = await LoadAsync([(driver.Blobs, ledger)], count - (count / 2), inFlight - (inFlight / 2));
    var childCpu = TimeSpan.FromMilliseconds(double.Parse((await child.StandardOutput.ReadLineAsync())!, CultureInfo.InvariantCulture));
    await child.WaitForExitAsync();
    var seconds = clock.Elapsed.TotalSeconds;
    var all = here.Concat(File.ReadAllLines(childLatencies).Select(l => double.Parse(l, CultureInfo.InvariantCulture))).ToArray();
    File.Delete(childLatencies);
    Report("postgres, 2 processes", all, seconds, ledger.Size);
    await profile.ReportAsync(before, all.Length, seconds, childCpu);
}

async Task FrontProcessAsync(string connection, string schema, int files, int workers, string latencyFile)
{
    var shared = new PostgresOptions { ConnectionString = connection, Schema = schema, Shared = true };
    await using var driver = await PostgresDriver.OpenAsync(shared, TimeProvider.System);
    await using var ledger = await EvidenceLedger.OpenAsync(
        driver.Log, driver.Index, Bench.Signer, null, driver.Handoff, new LedgerOptions(), TimeProvider.System, NullLogger<EvidenceLedger>.Instance);
    Console.WriteLine("ready");
    _ = Console.ReadLine();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var latencies = await LoadAsync([(driver.Blobs, ledger)], files, workers);
    cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    await File.WriteAllLinesAsync(latencyFile, latencies.Select(l => l.ToString("R", CultureInfo.InvariantCulture)));
    Console.WriteLine(cpu.TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture));
}

async Task RunAsync(string name, (IBlobStore Blobs, EvidenceLedger Ledger)[] fronts)
{
    var before = await profile.SnapshotAsync();
    var clock = Stopwatch.StartNew();
    var latencies = await LoadAsync(fronts, count, inFlight);
    var seconds = clock.Elapsed.TotalSeconds;
    Report(name, latencies, seconds, fronts[0].Ledger.Size);
    await profile.ReportAsync(before, count, seconds);
}

static void Report(string name, double[] latencies, double seconds, ulong size)
{
    Array.Sort(latencies);
    var n = latencies.Length;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-23} {n / seconds,8:F0} files/s acknowledged durable; latency p50 {latencies[n / 2],6:F1} ms, p99 {latencies[(int)(n * 0.99)],6:F1} ms; ledger size {size}"));
}

// FILES files of 1 KiB through WORKERS concurrent callers spread over the front-ends; each one's latency in ms.
static async Task<double[]> LoadAsync((IBlobStore Blobs, EvidenceLedger Ledger)[] fronts, int files, int workers)
{
    var latencies = new double[files];
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
    {
        var (blobs, ledger) = fronts[worker % fronts.Length];
        var content = new byte[1024];
        int i;
        while ((i = Interlocked.Increment(ref next)) < files)
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
    return latencies;
}

// Inclusion proofs at the published size for pseudo-random indices, from 16 concurrent callers, for 3 seconds.
async Task ProofsAsync(string name, EvidenceLedger ledger)
{
    var size = ledger.Latest.Size;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var server = profile.ServerCpu();
    var proofs = 0L;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
    {
        var random = new Random(worker);
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            var index = (ulong)random.NextInt64((long)size);
            var proof = await ledger.InclusionProofAsync(index, size);
            if (proof.Length == 0 && size > 1)
            {
                throw new InvalidOperationException("An empty inclusion proof.");
            }

            Interlocked.Increment(ref proofs);
        }
    })));
    var seconds = clock.Elapsed.TotalSeconds;
    var here = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds * 1e6 / proofs;
    var there = server is { } s0 && profile.ServerCpu() is { } s1 ? string.Create(CultureInfo.InvariantCulture, $"{(s1 - s0).TotalSeconds * 1e6 / proofs:F1} µs") : "not known";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-27} {proofs / seconds,8:F0} inclusion proofs/s at size {size} (16 callers); CPU per proof: this process {here:F1} µs, the server {there}"));
}

/// <summary>What the bench's processes share.</summary>
internal static class Bench
{
    /// <summary>The log's signer (a fixed test seed).</summary>
    public static NoteSigner Signer { get; } = NoteSigner.FromSeed("bench.example/log", new byte[32]);
}

/// <summary>
/// Where a run's time goes: CPU of this process and of the server's processes (/proc, when the server's postmaster
/// pid is known), allocations and collections here, and from the server the statements, commits, WAL flushes and
/// WAL bytes per file (pg_stat_statements, pg_stat_database, pg_stat_wal; the two last are reported by the server's
/// processes at most once a second, so the report waits two seconds for them).
/// </summary>
internal sealed class Profile(Npgsql.NpgsqlDataSource admin, int? postmaster, bool statements)
{
    public static async Task<Profile> OpenAsync(string connection, string? postmasterPid)
    {
        var admin = Npgsql.NpgsqlDataSource.Create(connection);
        var statements = true;
        try
        {
            await using var create = admin.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            await create.ExecuteNonQueryAsync();
            await using var probe = admin.CreateCommand("SELECT count(*) FROM pg_stat_statements");
            await probe.ExecuteScalarAsync();
        }
        catch (Npgsql.PostgresException)
        {
            statements = false; // not preloaded by this server: no statement list
        }

        return new Profile(admin, int.TryParse(postmasterPid, CultureInfo.InvariantCulture, out var pid) ? pid : null, statements);
    }

    /// <summary>The counters now, after starting the statement list afresh (<paramref name="reset"/>).</summary>
    public async Task<Snapshot> SnapshotAsync(bool reset = true)
    {
        if (statements && reset)
        {
            await using var clear = admin.CreateCommand("SELECT pg_stat_statements_reset()");
            await clear.ExecuteNonQueryAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // the server's counters settle
        await using var read = admin.CreateCommand(
            """
            SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()), wal_sync, wal_write, wal_bytes::bigint, pg_current_wal_lsn() - '0/0'::pg_lsn
            FROM pg_stat_wal
            """);
        await using var reader = await read.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Snapshot(
            Process.GetCurrentProcess().TotalProcessorTime, ServerCpu(), GC.GetTotalAllocatedBytes(), GC.CollectionCount(0), GC.CollectionCount(2),
            reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), (long)reader.GetDecimal(4));
    }

    public async Task ReportAsync(Snapshot before, int files, double seconds, TimeSpan? childCpu = null)
    {
        var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var serverCpu = ServerCpu();
        var after = await SnapshotAsync(reset: false);
        var perFile = 1e6 / files; // µs per file from seconds
        var server = before.ServerCpu is { } s0 && serverCpu is { } s1 ? string.Create(CultureInfo.InvariantCulture, $"{(s1 - s0).TotalSeconds * perFile:F0} µs") : "not known";
        var child = childCpu is { } c ? string.Create(CultureInfo.InvariantCulture, $"the front-end process {c.TotalSeconds * perFile:F0} µs, ") : string.Empty;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  CPU per file: this process {(benchCpu - before.BenchCpu).TotalSeconds * perFile:F0} µs, {child}the PostgreSQL server {server} " +
            $"({seconds:F1} s wall); allocated here {(after.Allocated - before.Allocated) / (double)files / 1024:F1} KiB/file, GCs gen0 {after.Gen0 - before.Gen0}, gen2 {after.Gen2 - before.Gen2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  server per file: {(after.Commits - before.Commits) / (double)files:F2} commits, {(after.WalSyncs - before.WalSyncs) / (double)files:F3} WAL flushes " +
            $"({after.WalSyncs - before.WalSyncs} in all), {(after.WalLsn - before.WalLsn) / (double)files / 1024:F2} KiB of WAL"));
        if (!statements)
        {
            return;
        }

        await using var top = admin.CreateCommand(
            """
            SELECT calls, total_exec_time, regexp_replace(query, '\s+', ' ', 'g') FROM pg_stat_statements
            WHERE query NOT LIKE '%pg_stat%' ORDER BY calls DESC LIMIT 14
            """);
        await using var reader = await top.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var query = reader.GetString(2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {reader.GetInt64(0) / (double)files,7:F3}/file {reader.GetDouble(1) / reader.GetInt64(0),7:F3} ms  {(query.Length > 110 ? query[..110] + "…" : query)}"));
        }
    }

    // utime + stime of the postmaster, its children now, and its children that ended (cutime + cstime).
    public TimeSpan? ServerCpu()
    {
        if (postmaster is not { } pid)
        {
            return null;
        }

        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var p))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // f[0] is field 3 (state)
            if (p == pid)
            {
                ticks += long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)
                    + long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture);
            }
            else if (f[1] == pid.ToString(CultureInfo.InvariantCulture))
            {
                ticks += long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ
    }

    internal sealed record Snapshot(
        TimeSpan BenchCpu, TimeSpan? ServerCpu, long Allocated, int Gen0, int Gen2, long Commits, long WalSyncs, long WalWrites, long WalLsn);
}
