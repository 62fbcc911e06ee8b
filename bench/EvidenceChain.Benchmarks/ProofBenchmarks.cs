using BenchmarkDotNet.Attributes;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Benchmarks;

/// <summary>
/// W2: verifying 100,000 inclusion proofs at size 2^20 (leaf hash + RFC 9162 chain + compare, as in the reference),
/// one at a time and (W2_batch) through the batch API,
/// and 100,000 consistency proofs between random sizes up to 2^20.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 9)]
public class ProofBenchmarks
{
    private const ulong Size = Workload.Leaves;
    private byte[] _data = [];
    private ulong[] _indices = [];
    private Hash[][] _inclusion = [];
    private (ulong Size1, Hash Root1, Hash[] Proof)[] _consistency = [];
    private Hash _root;
    private byte[] _leafBuffer = [];
    private Hash[] _leafHashes = [];
    private InclusionClaim[] _claims = [];
    private ProofResult[] _results = [];

    [GlobalSetup]
    public void Setup()
    {
        _data = Workload.LeafData();
        var leaves = Workload.LeafHashes(_data);
        var tree = new FullTree(leaves);
        _root = tree.Root(Size);
        _indices = Workload.ProofIndices();
        _inclusion = [.. _indices.Select(i => tree.Proof(ProofPlan.Inclusion(i, Size)))];
        _leafBuffer = new byte[_indices.Length * 32];
        _leafHashes = new Hash[_indices.Length];
        _claims = new InclusionClaim[_indices.Length];
        _results = new ProofResult[_indices.Length];
        _consistency = [.. _indices.Select(i => (i + 1, tree.Root(i + 1), tree.Proof(ProofPlan.Consistency(i + 1, Size))))];
    }

    [Benchmark(OperationsPerInvoke = Workload.Proofs, Description = "W2 inclusion proof verify (per proof)")]
    public int VerifyInclusion()
    {
        var ok = 0;
        for (var p = 0; p < _indices.Length; p++)
        {
            var index = _indices[p];
            var leafHash = Rfc6962.HashLeaf(_data.AsSpan((int)index * 32, 32));
            ok += InclusionProof.Verify(index, Size, leafHash, _inclusion[p], _root).IsValid ? 1 : 0;
        }

        return ok == _indices.Length ? ok : throw new InvalidOperationException("a proof failed");
    }

    /// <summary>
    /// W2_batch: the same proofs, leaf data and root as W2, checked with the batch API: the proven leaves' data is
    /// gathered and hashed as one leaf batch, then every proof goes through <see cref="InclusionProof.VerifyBatch"/>.
    /// Buffers are allocated once in setup, as the reference allocates its inputs once.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Workload.Proofs, Description = "W2_batch inclusion proof verify, batch API (per proof)")]
    public int VerifyInclusionBatch()
    {
        for (var p = 0; p < _indices.Length; p++)
        {
            _data.AsSpan((int)_indices[p] * 32, 32).CopyTo(_leafBuffer.AsSpan(p * 32));
        }

        Rfc6962.HashLeaves(_leafBuffer, 32, _leafHashes);
        for (var p = 0; p < _indices.Length; p++)
        {
            _claims[p] = new InclusionClaim(_indices[p], Size, _leafHashes[p], _inclusion[p], _root);
        }

        InclusionProof.VerifyBatch(_claims, _results);
        var ok = 0;
        foreach (var result in _results)
        {
            ok += result.IsValid ? 1 : 0;
        }

        return ok == _indices.Length ? ok : throw new InvalidOperationException("a proof failed");
    }

    [Benchmark(OperationsPerInvoke = Workload.Proofs, Description = "consistency proof verify (per proof)")]
    public int VerifyConsistency()
    {
        var ok = 0;
        foreach (var (size1, root1, proof) in _consistency)
        {
            ok += ConsistencyProof.Verify(size1, Size, root1, _root, proof).IsValid ? 1 : 0;
        }

        return ok == _consistency.Length ? ok : throw new InvalidOperationException("a proof failed");
    }

    /// <summary>All levels of the tree in memory, to build proofs for the benchmark quickly.</summary>
    private sealed class FullTree
    {
        private readonly List<Hash[]> _levels = [];

        public FullTree(Hash[] leaves)
        {
            _levels.Add(leaves);
            while (_levels[^1].Length > 1)
            {
                var below = _levels[^1];
                var above = new Hash[below.Length / 2];
                Rfc6962.HashChildren(below.AsSpan(0, above.Length * 2), above);
                _levels.Add(above);
            }
        }

        public Hash Root(ulong size) => Range(new LeafRange(0, size));

        public Hash[] Proof(LeafRange[] plan) => [.. plan.Select(Range)];

        private Hash Range(LeafRange range) =>
            MerkleMath.FoldRange([.. range.Parts().Select(n => _levels[n.Level][n.Index])]);
    }
}
