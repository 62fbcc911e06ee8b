using BenchmarkDotNet.Attributes;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Benchmarks;

/// <summary>
/// W2: verifying 100,000 inclusion proofs at size 2^20 (leaf hash + RFC 9162 chain + compare, as in the reference),
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

    [GlobalSetup]
    public void Setup()
    {
        _data = Workload.LeafData();
        var leaves = Workload.LeafHashes(_data);
        var tree = new FullTree(leaves);
        _root = tree.Root(Size);
        _indices = Workload.ProofIndices();
        _inclusion = [.. _indices.Select(i => tree.Proof(ProofPlan.Inclusion(i, Size)))];
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
