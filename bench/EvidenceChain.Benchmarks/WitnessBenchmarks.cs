using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Witness;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Benchmarks;

/// <summary>
/// A witness's cost per cosignature, in process (no HTTP): parse the add-checkpoint body, verify the log's Ed25519
/// line, check the consistency proof, cosign, and (for a new size) write and fsync the state before answering.
/// "new checkpoint" is the first checkpoint of each of many logs (old 0: the state file is written and fsync'd, the
/// folder too); "same checkpoint again" is the idempotent re-cosign of one log's latest checkpoint (no write).
/// Cosignatures/s = 1 / mean.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessJob))]
#pragma warning disable CA1001 // BenchmarkDotNet's [GlobalCleanup] disposes the witness, not IDisposable
public class WitnessBenchmarks
#pragma warning restore CA1001
{
    private const int Logs = 8192;

    private string _path = string.Empty;
    private CheckpointWitness _witness = null!;
    private byte[][] _first = [];
    private byte[] _again = [];
    private int _next;

    /// <summary>
    /// In process (no generated project to build, which times out on a loaded machine), a fixed number of calls per
    /// iteration so that the logs prepared in <see cref="Setup"/> are enough.
    /// </summary>
    public sealed class InProcessJob : ManualConfig
    {
        public InProcessJob() =>
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5).WithInvocationCount(512));
    }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), "ec-bench-witness-" + Guid.NewGuid().ToString("N"));
        var seed = Enumerable.Repeat((byte)7, 32).ToArray();
        var keys = Enumerable.Range(0, Logs).Select(i => NoteSigner.FromSeed($"bench.example/log{i}", seed)).ToArray();
        var root = MerkleMath.Root([.. Enumerable.Range(0, 1000).Select(i => Rfc6962.HashLeaf(BitConverter.GetBytes(i)))]);
        _first = [.. keys.Select(k => Encoding.UTF8.GetBytes("old 0\n\n" + CheckpointNote.Sign(new Checkpoint(k.Name, 1000, root), k)))];
        _again = Encoding.UTF8.GetBytes("old 1000\n\n" + CheckpointNote.Sign(new Checkpoint(keys[0].Name, 1000, root), keys[0]));
        _witness = new CheckpointWitness(
            WitnessSigner.FromSeed("bench.example/witness", seed), [.. keys.Select(k => k.VerifierKey)], _path, TimeProvider.System, NullLogger.Instance);
        _witness.AddCheckpointAsync(Encoding.UTF8.GetBytes("old 0\n\n" + CheckpointNote.Sign(new Checkpoint(keys[0].Name, 1000, root), keys[0])), CancellationToken.None).GetAwaiter().GetResult();
        _next = 1;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _witness.Dispose();
        Directory.Delete(_path, recursive: true);
    }

    [Benchmark(Description = "new checkpoint (state fsync'd)")]
    public async Task<int> NewCheckpoint()
    {
        var answer = await _witness.AddCheckpointAsync(_first[_next++], CancellationToken.None);
        return answer.Status == 200 ? 200 : throw new InvalidOperationException($"{answer.Status} {answer.Body}");
    }

    [Benchmark(Description = "same checkpoint again (no write)")]
    public async Task<int> SameCheckpoint()
    {
        var answer = await _witness.AddCheckpointAsync(_again, CancellationToken.None);
        return answer.Status == 200 ? 200 : throw new InvalidOperationException($"{answer.Status} {answer.Body}");
    }
}
