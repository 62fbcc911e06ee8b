using FsCheck;
using FsCheck.Fluent;
using EvidenceChain.Core;

namespace EvidenceChain.Testing.Arbitraries;

/// <summary>
/// FsCheck arbitraries for Merkle properties: <see cref="EvidenceChain.Core.Hash"/>, leaf lists, trees with an index or
/// a prefix, and chunked appends. Register with <c>[Properties(Arbitrary = [typeof(MerkleArbitraries)])]</c>.
/// Tree sizes stay within <see cref="Gens.MaxTreeSize"/> so each property runs in well under a second.
/// </summary>
public static class MerkleArbitraries
{
    /// <summary>Hashes (see <see cref="Gens.Hash"/>).</summary>
    public static Arbitrary<Hash> Hash() => Gens.Hash.ToArbitrary();

    /// <summary>0 to <see cref="Gens.MaxTreeSize"/> leaf hashes; shrinks by dropping leaves from the end.</summary>
    public static Arbitrary<LeafHashes> LeafHashes() =>
        Arb.From(
            Gen.Zip(Gens.TreeSize(0, Gens.MaxTreeSize), Gen.Choose(0, int.MaxValue))
                .Select(t => new LeafHashes(t.Item1, t.Item2)),
            ShrinkLeaves);

    /// <summary>A tree of 1 to <see cref="Gens.MaxTreeSize"/> leaves and a leaf index in it (often the first or last).</summary>
    public static Arbitrary<TreeWithIndex> TreeWithIndex() =>
        Arb.From(
            NonEmptyLeaves().SelectMany(
                leaves => Gen.Frequency(
                    (1, Gen.Elements(0, leaves.Count - 1)),
                    (4, Gen.Choose(0, leaves.Count - 1))),
                (leaves, index) => new TreeWithIndex(leaves, index)),
            t => ShrinkLeaves(t.Leaves).Where(l => l.Count > t.Index).Select(l => t with { Leaves = l }));

    /// <summary>A tree of 1 to <see cref="Gens.MaxTreeSize"/> leaves and a non-empty prefix size (often 1, equal, or a power of two).</summary>
    public static Arbitrary<TreeWithPrefix> TreeWithPrefix() =>
        Arb.From(
            NonEmptyLeaves().SelectMany(
                leaves => Gen.Frequency(
                    (1, Gen.Elements(1, leaves.Count)),
                    (1, Gen.Elements(PowersOfTwoUpTo(leaves.Count))),
                    (4, Gen.Choose(1, leaves.Count))),
                (leaves, size1) => new TreeWithPrefix(leaves, size1)),
            t => ShrinkLeaves(t.Leaves).Where(l => l.Count >= t.Size1).Select(l => t with { Leaves = l }));

    /// <summary>0 to <see cref="Gens.MaxTreeSize"/> leaves cut into random consecutive appends.</summary>
    public static Arbitrary<ChunkedLeaves> ChunkedLeaves() =>
        LeafHashes().Generator
            .SelectMany(leaves => Gens.Chunks(leaves.Count), (leaves, chunks) => new ChunkedLeaves(leaves, chunks))
            .ToArbitrary();

    /// <summary>Up to 4 KiB of data cut into random consecutive writes.</summary>
    public static Arbitrary<ChunkedBytes> ChunkedBytes() =>
        Gens.Bytes(4096)
            .SelectMany(data => Gens.Chunks(data.Length), (data, chunks) => new ChunkedBytes(data, chunks))
            .ToArbitrary();

    private static Gen<LeafHashes> NonEmptyLeaves() =>
        Gen.Zip(Gens.TreeSize(1, Gens.MaxTreeSize), Gen.Choose(0, int.MaxValue))
            .Select(t => new LeafHashes(t.Item1, t.Item2));

    private static int[] PowersOfTwoUpTo(int n) =>
        Enumerable.Range(0, 31).Select(k => 1 << k).TakeWhile(p => p <= n).ToArray();

    private static IEnumerable<LeafHashes> ShrinkLeaves(LeafHashes leaves)
    {
        if (leaves.Count > 1)
        {
            yield return leaves.Take(leaves.Count / 2);
        }

        if (leaves.Count > 0)
        {
            yield return leaves.Take(leaves.Count - 1);
        }
    }
}
