using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Benchmarks;

/// <summary>
/// W1: the RFC 6962 root of 2^20 leaves from their data (2^20 leaf hashes and 2^20 - 1 node hashes), on one core
/// and on all cores; and the reference line: the same number of raw SHA-256 calls (2^21 - 1) on 65-byte inputs.
/// W1 hashes the leaves with the batch API <see cref="Rfc6962.HashLeaves"/>; <see cref="PerLeafRoot"/> shows the
/// same root with one <see cref="Rfc6962.HashLeaf"/> call per leaf.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 9)]
public class MerkleBenchmarks
{
    private byte[] _data = [];
    private byte[] _messages = [];
    private Hash[] _leafHashes = [];

    [GlobalSetup]
    public void Setup()
    {
        _data = Workload.LeafData();

        // Like the reference, which allocates its levels once: the timed work is hashing, not a 32 MB allocation
        // (whose page faults and garbage collections would also land unevenly on the one- and two-core runs).
        _leafHashes = new Hash[Workload.Leaves];
        _messages = new byte[65 * 1024];
        RandomNumberGenerator.Fill(_messages);

        // The reference's root for this workload (bench/reference/README.md): every variant must agree.
        foreach (var root in (Hash[])[Root(), PerLeafRoot(), RootParallel()])
        {
            if (!root.ToString().StartsWith("42f315088197efd6", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"wrong W1 root {root}");
            }
        }
    }

    [Benchmark(Baseline = true, Description = "reference: 2^21-1 x SHA256.HashData(65 B)")]
    public byte RawSha256Calls()
    {
        Span<byte> digest = stackalloc byte[32];
        const int calls = (2 * Workload.Leaves) - 1;
        for (var i = 0; i < calls; i++)
        {
            SHA256.HashData(_messages.AsSpan((i & 1023) * 65, 65), digest);
        }

        return digest[0];
    }

    [Benchmark(Description = "W1 root of 2^20 leaves, 1 core")]
    public Hash Root()
    {
        Rfc6962.HashLeaves(_data, 32, _leafHashes);
        return MerkleMath.Root(_leafHashes);
    }

    [Benchmark(Description = "W1 root of 2^20 leaves, one HashLeaf call per leaf, 1 core")]
    public Hash PerLeafRoot()
    {
        for (var i = 0; i < Workload.Leaves; i++)
        {
            _leafHashes[i] = Rfc6962.HashLeaf(_data.AsSpan(i * 32, 32));
        }

        return MerkleMath.Root(_leafHashes);
    }

    [Benchmark(Description = "W1 root of 2^20 leaves, all cores")]
    public Hash RootParallel()
    {
        var hashes = _leafHashes;
        var data = _data;
        Parallel.For(0, Environment.ProcessorCount, w =>
        {
            var chunk = Workload.Leaves / Environment.ProcessorCount;
            var end = w == Environment.ProcessorCount - 1 ? Workload.Leaves : (w + 1) * chunk;
            var from = w * chunk;
            Rfc6962.HashLeaves(data.AsSpan(from * 32, (end - from) * 32), 32, hashes.AsSpan(from, end - from));
        });
        return MerkleMath.Root(hashes, parallel: true);
    }
}
