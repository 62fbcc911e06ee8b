using System.Numerics;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Arbitraries;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Merkle;

[Properties(Arbitrary = [typeof(MerkleArbitraries)])]
public sealed class MerkleMathTests
{
    [Property]
    public void Root_AnyLeaves_EqualsReferenceRoot(LeafHashes leaves)
    {
        var expected = new ReferenceTree(leaves.Hashes).Root();

        Assert.Equal(expected, MerkleMath.Root(leaves.Span, parallel: false));
        Assert.Equal(expected, MerkleMath.Root(leaves.Span, parallel: true));
    }

    // The property above never reaches the parallel path (4096 pairs on one level); these sizes do, at and
    // around the threshold, with odd counts that leave a node over on several levels, and larger ones with
    // several parallel levels; and sizes of 2^15 or more whose two RFC 6962 halves are similar enough to be hashed
    // whole on separate cores (100,000; 32,768; 49,153; 98,304).
    [Theory]
    [InlineData(32_768)]
    [InlineData(49_153)]
    [InlineData(98_304)]
    [InlineData(65_537)]
    [InlineData(100_000)]
    [InlineData(262_149)]
    [InlineData(8191)]
    [InlineData(8192)]
    [InlineData(8193)]
    [InlineData(12_345)]
    [InlineData(16_383)]
    [InlineData(40_001)]
    public void Root_TreesLargeEnoughForParallelHashing_EqualsReferenceRoot(int size)
    {
        var leaves = new LeafHashes(size, seed: size);
        var expected = new ReferenceTree(leaves.Hashes).Root();

        Assert.Equal(expected, MerkleMath.Root(leaves.Span, parallel: true));
        Assert.Equal(expected, MerkleMath.Root(leaves.Span, parallel: false));
    }

    [Property]
    public void PerfectRoot_PowerOfTwoLeaves_EqualsReferenceRoot(LeafHashes leaves)
    {
        var count = leaves.Count == 0 ? 1 : (int)BitOperations.RoundUpToPowerOf2((uint)leaves.Count + 1) / 2;
        var perfect = new LeafHashes(count, leaves.Seed);

        Assert.Equal(new ReferenceTree(perfect.Hashes).Root(), MerkleMath.PerfectRoot(perfect.Span));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(7)]
    public void PerfectRoot_NotAPowerOfTwo_Throws(int count)
    {
        var hashes = new LeafHashes(count, seed: 1);
        Assert.Throws<ArgumentException>(() => MerkleMath.PerfectRoot(hashes.Span));
    }

    [Fact]
    public void FoldRange_NoParts_Throws()
    {
        Assert.Throws<ArgumentException>(() => MerkleMath.FoldRange([]));
    }

    [Property]
    public void FoldRange_PartsOfAPrefix_EqualsReferenceRoot(LeafHashes leaves)
    {
        if (leaves.Count == 0)
        {
            return;
        }

        var tree = new ReferenceTree(leaves.Hashes);
        var parts = MerkleMath.Decompose(0, (ulong)leaves.Count)
            .Select(p => tree.Root((int)p.FirstLeaf, (int)p.EndLeaf))
            .ToArray();

        Assert.Equal(tree.Root(), MerkleMath.FoldRange(parts));
    }

    [Property]
    public Property Decompose_AnyRange_CoversItExactlyWithMaximalAlignedPerfectSubtrees() =>
        Prop.ForAll(Gens.ULongRange.ToArbitrary(), range =>
        {
            var (begin, end) = range;
            var parts = MerkleMath.Decompose(begin, end);

            Assert.NotEmpty(parts);
            Assert.Equal(begin, parts[0].FirstLeaf);
            Assert.Equal(end, parts[^1].EndLeaf);
            for (var i = 0; i < parts.Length; i++)
            {
                var part = parts[i];
                Assert.InRange(part.Level, 0, 63);
                Assert.Equal(part.Index, part.FirstLeaf >> part.Level);
                Assert.Equal(0UL, part.FirstLeaf & ((1UL << part.Level) - 1));
                if (i > 0)
                {
                    Assert.Equal(parts[i - 1].EndLeaf, part.FirstLeaf);

                    // Maximal: two neighbours on one level that are siblings would have been one node.
                    var previous = parts[i - 1];
                    Assert.False(
                        previous.Level == part.Level && previous.Index % 2 == 0,
                        $"{previous} and {part} are siblings and should have been merged");
                }
            }

            // No part's parent lies wholly inside the range (the parent of a top-level node may end past 2^64 and wrap).
            foreach (var part in parts.Where(p => p.Level < 63))
            {
                var parent = new NodeId(part.Level + 1, part.Index / 2);
                Assert.False(
                    parent.FirstLeaf >= begin && parent.EndLeaf <= end && parent.EndLeaf > parent.FirstLeaf,
                    $"{part} is inside {parent}, which also lies within [{begin}, {end})");
            }
        });

    [Property]
    public Property Decompose_PrefixOfTree_GivesStrictlyShrinkingFringe() =>
        Prop.ForAll(Gens.ULongRange.Select(r => r.End).ToArbitrary(), size =>
        {
            var parts = MerkleMath.Decompose(0, size);

            Assert.Equal(BitOperations.PopCount(size), parts.Length);
            Assert.Equal(MerkleAppender.Fringe(size), parts);
            for (var i = 1; i < parts.Length; i++)
            {
                Assert.True(parts[i].Level < parts[i - 1].Level);
            }
        });

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(5UL, 5UL)]
    [InlineData(6UL, 5UL)]
    public void Decompose_EmptyOrReversedRange_Throws(ulong begin, ulong end)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleMath.Decompose(begin, end));
    }

    [Fact]
    public void Decompose_WholeUInt64Range_GivesOneNodePerLevel()
    {
        var parts = MerkleMath.Decompose(0, ulong.MaxValue);

        Assert.Equal(Enumerable.Range(0, 64).Reverse(), parts.Select(p => p.Level));
        Assert.Equal(ulong.MaxValue, parts[^1].EndLeaf);
    }
}
