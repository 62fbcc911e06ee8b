using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using EvidenceChain.Core;
using EvidenceChain.Core.Internal;

namespace EvidenceChain.Benchmarks;

/// <summary>
/// The kernels side by side, per hash: one tree level of 2^19 node hashes through <c>HashPairs</c>, short
/// batches (the tail of a level), single node hashes (proof chains), 32-byte leaves one at a time and as a
/// batch, and ledger-sized 1 KiB leaves one at a time and as a batch. The SIMD kernels are built here with a
/// vector pass for every tail, so the short-batch rows show what a forced vector pass costs (the reason for
/// <c>Sha256Kernel</c>'s tail thresholds); the kernel in use sends short tails to libcrypto instead.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class Sha256KernelBenchmarks
{
    private const int Pairs = 1 << 19;
    private Hash[] _children = [];
    private Hash[] _parents = [];
    private const int BigLeaves = 1 << 13;
    private byte[] _leaves = [];
    private Hash[] _hashes = [];
    private ISha256Kernel _kernel = ManagedSha256Kernel.Instance;

    [Params("libcrypto", "avx512", "avx2")]
    public string Kernel { get; set; } = "libcrypto";

    [GlobalSetup]
    public void Setup()
    {
        var bytes = new byte[Pairs * 2 * 32];
        RandomNumberGenerator.Fill(bytes);
        _children = [.. Hash.FromConcatenated(bytes)];
        _parents = new Hash[Pairs];
        _leaves = bytes[..(Pairs * 32)];
        _hashes = new Hash[Pairs];
        var single = (ISha256Kernel?)LibCryptoSha256Kernel.TryCreate() ?? ManagedSha256Kernel.Instance;
        _kernel = Kernel switch
        {
            "avx512" => new MultiBufferSha256Kernel<Avx512Lanes, Vector512<uint>>(single, 1),
            "avx2" => new MultiBufferSha256Kernel<Avx2Lanes, Vector256<uint>>(single, 1),
            _ => single,
        };
    }

    [Benchmark(OperationsPerInvoke = Pairs, Description = "level of 2^19 nodes (per node)")]
    public Hash Level()
    {
        _kernel.HashPairs(_children, _parents);
        return _parents[0];
    }

    [Benchmark(OperationsPerInvoke = Pairs, Description = "batches of 5 nodes (per node)")]
    public Hash ShortBatches()
    {
        for (var i = 0; i + 5 <= Pairs; i += 5)
        {
            _kernel.HashPairs(_children.AsSpan(2 * i, 10), _parents.AsSpan(i, 5));
        }

        return _parents[0];
    }

    [Benchmark(OperationsPerInvoke = Pairs, Description = "single node (per node)")]
    public Hash SingleNodes()
    {
        for (var i = 0; i < Pairs; i++)
        {
            _kernel.HashPairs(_children.AsSpan(2 * i, 2), _parents.AsSpan(i, 1));
        }

        return _parents[0];
    }

    [Benchmark(OperationsPerInvoke = Pairs, Description = "HashNode chain (per node)")]
    public Hash NodeChain()
    {
        var r = _children[0];
        for (var i = 0; i < Pairs; i++)
        {
            r = _kernel.HashNode(_children[i], r);
        }

        return r;
    }

    [Benchmark(OperationsPerInvoke = Pairs, Description = "single 33-byte leaf (per leaf)")]
    public byte SingleLeaves()
    {
        Span<byte> digest = stackalloc byte[32];
        for (var i = 0; i < Pairs; i++)
        {
            _kernel.HashPrefixed(0, _leaves.AsSpan(i * 32, 32), digest);
        }

        return digest[0];
    }

    [Benchmark(OperationsPerInvoke = Pairs, Description = "batch of 32-byte leaves (per leaf)")]
    public Hash LeafBatch()
    {
        _kernel.HashPrefixedBatch(0, _leaves, 32, _hashes);
        return _hashes[0];
    }

    [Benchmark(OperationsPerInvoke = BigLeaves, Description = "single 1 KiB leaf (per leaf)")]
    public byte SingleBigLeaves()
    {
        Span<byte> digest = stackalloc byte[32];
        for (var i = 0; i < BigLeaves; i++)
        {
            _kernel.HashPrefixed(0, _leaves.AsSpan(i * 1024, 1024), digest);
        }

        return digest[0];
    }

    [Benchmark(OperationsPerInvoke = BigLeaves, Description = "batch of 1 KiB leaves (per leaf)")]
    public Hash BigLeafBatch()
    {
        _kernel.HashPrefixedBatch(0, _leaves.AsSpan(0, BigLeaves * 1024), 1024, _hashes.AsSpan(0, BigLeaves));
        return _hashes[0];
    }
}
