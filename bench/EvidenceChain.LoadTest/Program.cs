using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using EvidenceChain.Api.V1;
using EvidenceChain.LoadTest;
using EvidenceChain.Node;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// End-to-end load harness (see bench/README.md):
//   ingest: N concurrent gRPC clients preserve 1 KiB files; acknowledged = durable. Reports entries/s and latency.
//           --witnesses K: K witnesses (WitnessHost, in this process, each on its own Kestrel and state folder) that
//           the node asks to cosign its checkpoints, quorum K (bench/README.md, "Witnessing at full ingest").
//   proofs: inclusion proofs over gRPC from N concurrent clients against a ledger of --entries entries.
//   append: the ledger alone, without gRPC or blobs.
//   certificates: evidence certificates per second (CertificateLoad.cs).
//   fill: a ledger of --entries entries to audit (bench/README.md, "Audit"): one real 1 KiB file preserved over
//         gRPC, then direct appends of ~1 KiB leaves that list it (SHA-256 and SM3); keep it with --data DIR.
// The node runs in this process on 127.0.0.1 with a fresh data folder (or --data DIR to reuse one), so client and
// node share the machine's cores, as they would on one box; the process runs server GC, as the node does alone.
// The clients call through Grpc.Net.Client over SocketsHttpHandler, as an application would call the node, on
// --connections HTTP/2 connections (default clients/16) with the workers spread over them.
var options = ParseOptions(args);
var mode = args.Length > 0 ? args[0] : "ingest";
var clients = options.GetValueOrDefault("clients", 64);
var seconds = options.GetValueOrDefault("seconds", 20);
var warmup = options.GetValueOrDefault("warmup", 5);
var entries = options.GetValueOrDefault("entries", 1_000_000);
var dataPath = args.SkipWhile(a => a != "--data").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "ec-load-" + Guid.NewGuid().ToString("N"));
var keep = args.Contains("--data");
var cpuPerOperation = TimeSpan.Zero;
long allocatedPerOperation = 0;
var jitInWindow = TimeSpan.Zero;
long acknowledged = 0;

string[] extraSettings = mode == "certificates" ? ["--Capture:AllowedNetworks:0", "127.0.0.0/8"] : []; // captures a loopback page
var witnessCount = options.GetValueOrDefault("witnesses", 0);
var witnesses = new List<EvidenceChain.Witness.WitnessHost>();
if (witnessCount > 0)
{
    // The log key first, so that the witnesses can be told it before the node starts.
    var logKey = EvidenceChain.Core.Notes.NoteSigner.FromSeed("loadtest.example/log", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    EvidenceChain.Storage.LogKeyFiles.Write(Path.Combine(dataPath, "keys"), logKey);
    var settings = new List<string> { "--Witnesses:Quorum", witnessCount.ToString(CultureInfo.InvariantCulture) };
    for (var i = 0; i < witnessCount; i++)
    {
        var host = await EvidenceChain.Witness.WitnessHost.StartAsync(
            "127.0.0.1:0", Path.Combine(dataPath + "-witnesses", $"w{i}"), $"loadtest.example/w{i}", [logKey.VerifierKey]);
        witnesses.Add(host);
        settings.AddRange([$"--Witnesses:List:{i}:Key", host.Key.ToString(), $"--Witnesses:List:{i}:Url", host.Address.ToString()]);
    }

    extraSettings = [.. extraSettings, .. settings];
}

await using var node = await EvidenceNode.StartAsync(
    ["--data", dataPath, "--grpc", "http://127.0.0.1:0", "--http", "http://127.0.0.1:0", "--Limits:MaxConcurrentUploadsPerKey", "100000", .. extraSettings],
    b => b.Logging.AddFilter(level => level >= LogLevel.Warning));
using var channel = GrpcChannel.ForAddress(node.GrpcAddress, new GrpcChannelOptions
{
    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
});
// Several connections, as many independent clients would open: one HTTP/2 connection carries at most 100 calls at
// once (Kestrel's default) and is read by one loop on each side.
var connections = options.GetValueOrDefault("connections", Math.Max(1, clients / 16));
var channels = Enumerable.Range(0, connections).Select(_ => GrpcChannel.ForAddress(node.GrpcAddress)).ToArray();
Console.WriteLine($"node {node.GrpcAddress}, data {dataPath}, {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC ({GCSettings.LatencyMode}), {clients} clients on {connections} connections, {warmup} s warm-up + {seconds} s");

try
{
    return mode switch
    {
        "ingest" => await IngestAsync(),
        "proofs" => await ProofsAsync(),
        "append" => await AppendAsync(),
        "certificates" => await CertificateLoad.RunAsync(node, channels, clients, seconds, warmup),
        "fill" => await FillAsync(),
        _ => Usage(),
    };
}
finally
{
    if (!keep)
    {
        await node.DisposeAsync();
        Directory.Delete(dataPath, recursive: true);
    }

    foreach (var host in witnesses)
    {
        await host.DisposeAsync();
    }

    if (witnesses.Count > 0)
    {
        Directory.Delete(dataPath + "-witnesses", recursive: true);
    }
}

async Task<int> IngestAsync()
{
    var adminKey = (await File.ReadAllTextAsync(node.AdminKeyPath ?? throw new InvalidOperationException("Use a fresh data folder for ingest."))).Trim();
    var admin = new AdminService.AdminServiceClient(channel);
    var key = (await admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = "submitter" }, Auth(adminKey))).Secret;
    var (count, errors, recorder, elapsed) = await IngestGrpcAsync(key);
    Report("preservations", count, errors, recorder, elapsed);
    Console.WriteLine($"ledger size {node.Ledger.Size}; {acknowledged} calls acknowledged in all (warm-up, measured, last in flight)");
    if (witnesses.Count > 0)
    {
        // What the health service reports: the newest checkpoint meeting the quorum and each witness's cosigned size.
        var health = await node.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>()
            .CheckHealthAsync(r => r.Name == "witnesses");
        Console.WriteLine($"witnesses ({health.Status}): {health.Entries["witnesses"].Description}");
    }

    ReportMemory();
    return 0;
}

Task<(long Count, long Errors, LatencyRecorder Recorder, TimeSpan Elapsed)> IngestGrpcAsync(string key)
{
    var clientsByChannel = channels.Select(c => new EvidenceService.EvidenceServiceClient(c)).ToArray();
    var auth = Auth(key);
    return RunAsync(clients, async (worker, random) =>
    {
        var evidence = clientsByChannel[worker % clientsByChannel.Length];
        var content = new byte[1024];
        random.NextBytes(content);
        using var call = evidence.PreserveFile(auth);
        await call.RequestStream.WriteAsync(new PreserveFileRequest
        {
            Metadata = new FileMetadata { FileName = "page.html", MediaType = "text/html", Title = "load test" },
        });
        await call.RequestStream.WriteAsync(new PreserveFileRequest { Chunk = ByteString.CopyFrom(content) });
        await call.RequestStream.CompleteAsync();
        await call;
    });
}

// The ledger alone (no gRPC, no blobs): what the sequencer sustains with this many appenders.
async Task<int> AppendAsync()
{
    var (count, errors, recorder, elapsed) = await RunAsync(clients, async (worker, random) =>
    {
        var digest = new byte[32];
        random.NextBytes(digest);
        var draft = new EvidenceChain.Core.Entries.EntryDraft(
            "file", "load", [new EvidenceChain.Core.Entries.Artefact("page.html", "text/html", 1024, new EvidenceChain.Core.Hash(digest))],
            new Dictionary<string, string> { ["title"] = "load test" });
        await node.Ledger.AppendAsync(draft);
    });
    Report("appends", count, errors, recorder, elapsed);
    Console.WriteLine($"ledger size {node.Ledger.Size}");
    ReportMemory();
    return 0;
}

async Task<int> ProofsAsync()
{
    var ledger = node.Ledger;
    if (ledger.Size < (ulong)entries)
    {
        Console.WriteLine($"filling the ledger to {entries} entries (direct appends)...");
        var fill = Stopwatch.StartNew();
        var draft = new EvidenceChain.Core.Entries.EntryDraft("file", "load", [new EvidenceChain.Core.Entries.Artefact("a", "text/plain", 1, default)], new Dictionary<string, string>());
        var pending = new List<Task>();
        for (var missing = (ulong)entries - ledger.Size; missing > 0; missing--)
        {
            pending.Add(ledger.AppendAsync(draft));
            if (pending.Count == 8192)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
        Console.WriteLine($"filled in {fill.Elapsed.TotalSeconds:F0} s");
    }

    var logs = channels.Select(c => new LogService.LogServiceClient(c)).ToArray();
    var size = ledger.Latest.Size;
    var (count, errors, recorder, elapsed) = await RunAsync(clients, async (worker, random) =>
    {
        var log = logs[worker % logs.Length];
        var index = (ulong)random.NextInt64((long)size);
        var proof = await log.GetInclusionProofAsync(new GetInclusionProofRequest { Index = index, TreeSize = size });
        if (proof.Hashes.Count == 0 && size > 1)
        {
            throw new InvalidOperationException("empty proof");
        }
    });
    Report($"inclusion proofs at size {size}", count, errors, recorder, elapsed);
    return 0;
}

// A ledger for the audit measurement: every entry lists the one stored blob, so the audit's blob pass is separate.
async Task<int> FillAsync()
{
    var ledger = node.Ledger;
    var content = new byte[1024];
    new Random(21).NextBytes(content);
    if (node.AdminKeyPath is not null)
    {
        var adminKey = (await File.ReadAllTextAsync(node.AdminKeyPath)).Trim();
        var admin = new AdminService.AdminServiceClient(channel);
        var key = (await admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = "submitter" }, Auth(adminKey))).Secret;
        using var call = new EvidenceService.EvidenceServiceClient(channel).PreserveFile(Auth(key));
        await call.RequestStream.WriteAsync(new PreserveFileRequest { Metadata = new FileMetadata { FileName = "photo.jpg", MediaType = "image/jpeg", Title = "audit fill" } });
        await call.RequestStream.WriteAsync(new PreserveFileRequest { Chunk = ByteString.CopyFrom(content) });
        await call.RequestStream.CompleteAsync();
        await call;
    }

    var artefact = new EvidenceChain.Core.Entries.Artefact(
        "file", "image/jpeg", content.Length,
        new EvidenceChain.Core.Hash(System.Security.Cryptography.SHA256.HashData(content)),
        EvidenceChain.Core.Digests.ArtefactHasher.Sm3(content));
    var draft = new EvidenceChain.Core.Entries.EntryDraft("file", "audit-fill", [artefact], new Dictionary<string, string>
    {
        ["title"] = "Infringing copy of a photograph",
        ["description"] = new string('d', 620),
    });
    var fill = Stopwatch.StartNew();
    var pending = new List<Task>();
    for (var missing = (ulong)entries - Math.Min(ledger.Size, (ulong)entries); missing > 0; missing--)
    {
        pending.Add(ledger.AppendAsync(draft));
        if (pending.Count == 8192)
        {
            await Task.WhenAll(pending);
            pending.Clear();
        }
    }

    await Task.WhenAll(pending);
    Console.WriteLine($"ledger size {ledger.Size}, filled in {fill.Elapsed.TotalSeconds:F0} s; data in {dataPath}");
    return 0;
}

async Task<(long Count, long Errors, LatencyRecorder Recorder, TimeSpan Elapsed)> RunAsync(int workers, Func<int, Random, Task> operation)
{
    var recorder = new LatencyRecorder(workers);
    long errors = 0;
    var measuring = false;
    var stop = false;
    var tasks = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
    {
        var random = new Random(worker);
        while (!Volatile.Read(ref stop))
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                await operation(worker, random);
                Interlocked.Increment(ref acknowledged);
                if (Volatile.Read(ref measuring))
                {
                    recorder.Record(worker, start);
                }
            }
            catch (RpcException e)
            {
                if (Interlocked.Increment(ref errors) <= 3)
                {
                    Console.WriteLine($"error: {e.Status}");
                }
            }
        }
    })).ToArray();

    await Task.Delay(TimeSpan.FromSeconds(warmup));
    Volatile.Write(ref measuring, true);
    var clock = Stopwatch.StartNew();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var allocated = GC.GetTotalAllocatedBytes();
    var jit = System.Runtime.JitInfo.GetCompilationTime();
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    Volatile.Write(ref measuring, false);
    var elapsed = clock.Elapsed;
    cpuPerOperation = (Process.GetCurrentProcess().TotalProcessorTime - cpu) / Math.Max(1, recorder.Count);
    allocatedPerOperation = (GC.GetTotalAllocatedBytes() - allocated) / Math.Max(1, recorder.Count);
    jitInWindow = System.Runtime.JitInfo.GetCompilationTime() - jit;
    Volatile.Write(ref stop, true);
    await Task.WhenAll(tasks);
    return (recorder.Count, errors, recorder, elapsed);
}

void Report(string what, long count, long errors, LatencyRecorder recorder, TimeSpan elapsed) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what}: {count} in {elapsed.TotalSeconds:F1} s = {count / elapsed.TotalSeconds:F0}/s; errors {errors}; latency {recorder.Summary()}; CPU (client + node) {cpuPerOperation.TotalMicroseconds:F0} µs, allocated {allocatedPerOperation / 1024.0:F1} KiB per operation; JIT compiling {jitInWindow.TotalSeconds:F1} s of the measured window"));

// The process's memory at the end of a run (client and node together): what a full collection leaves on the GC heap,
// and the working set.
static void ReportMemory()
{
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    using var process = Process.GetCurrentProcess();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"memory after a full collection: GC heap {GC.GetTotalMemory(forceFullCollection: false) / (1 << 20)} MiB, working set {process.WorkingSet64 / (1 << 20)} MiB"));
}

static CallOptions Auth(string key) => new(new Metadata { { "authorization", "Bearer " + key } });

static int Usage()
{
    Console.Error.WriteLine("usage: EvidenceChain.LoadTest ingest|proofs|append|certificates [--witnesses K] [--clients N] [--connections N] [--seconds S] [--warmup S] [--entries N] [--data DIR]");
    return 2;
}

static Dictionary<string, int> ParseOptions(string[] args)
{
    var result = new Dictionary<string, int>(StringComparer.Ordinal);
    for (var i = 1; i + 1 < args.Length; i++)
    {
        if (args[i].StartsWith("--", StringComparison.Ordinal) && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value))
        {
            result[args[i][2..]] = value;
        }
    }

    return result;
}
