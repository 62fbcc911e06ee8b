using EvidenceChain.Core.Merkle;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Arbitraries;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Merkle;

[Properties(Arbitrary = [typeof(MerkleArbitraries)])]
public sealed class MerkleAppenderTests
{
    [Property]
    public void Append_AnyChunking_RootEqualsReferenceAfterEveryChunk(ChunkedLeaves input, bool parallel)
    {
        var tree = new ReferenceTree(input.Leaves.Hashes);
        var appender = new MerkleAppender { Parallel = parallel };
        var seen = new List<(int Size, Hash Root)>();

        foreach (var (start, length) in input.Ranges())
        {
            appender.Append(input.Leaves.Span.Slice(start, length));
            seen.Add((start + length, appender.Root()));
        }

        Assert.Equal((ulong)input.Leaves.Count, appender.Size);
        Assert.Equal(tree.Root(), appender.Root());

        // Appending never changes an earlier tree: every root seen on the way is the reference root of that prefix.
        Assert.All(seen, s => Assert.Equal(tree.Root(0, s.Size), s.Root));
    }

    [Property]
    public void Append_OneLeafAtATime_EveryPrefixRootEqualsReference(LeafHashes leaves)
    {
        var tree = new ReferenceTree(leaves.Hashes);
        var appender = new MerkleAppender();

        for (var i = 0; i < leaves.Count; i++)
        {
            appender.Append(leaves.Hashes[i]);
            Assert.Equal(tree.Root(0, i + 1), appender.Root());
        }
    }

    [Property]
    public void Append_AnyChunking_SinkSeesEveryNodeOnceWithReferenceHash(ChunkedLeaves input, bool parallel)
    {
        var tree = new ReferenceTree(input.Leaves.Hashes);
        var appender = new MerkleAppender { Parallel = parallel };
        var sink = new RecordingNodeSink();

        foreach (var (start, length) in input.Ranges())
        {
            appender.Append(input.Leaves.Span.Slice(start, length), sink);
        }

        AssertSinkSawExactly(sink, tree, alreadyBuilt: 0);
    }

    [Property]
    public void FromFringe_FringeOfPrefixThenRest_EqualsAppendingAllAtOnce(TreeWithPrefix input, bool parallel)
    {
        var tree = new ReferenceTree(input.Leaves.Hashes);
        foreach (var prefix in new[] { input.Size1 - 1, input.Size1 })
        {
            var appender = MerkleAppender.FromFringe((ulong)prefix, FringeRoots(tree, prefix), parallel);
            Assert.Equal((ulong)prefix, appender.Size);
            Assert.Equal(tree.Root(0, prefix), appender.Root());

            var sink = new RecordingNodeSink();
            appender.Append(input.Leaves.Span[prefix..], sink);

            Assert.Equal((ulong)tree.Size, appender.Size);
            Assert.Equal(tree.Root(), appender.Root());
            AssertSinkSawExactly(sink, tree, alreadyBuilt: prefix);
        }
    }

    // Sizes and chunkings that push levels of one append past the parallel threshold (4096 pairs), from an
    // even and an odd starting size, so the parallel path also meets a pending left node from the fringe.
    [Theory]
    [InlineData(new[] { 8192 })]
    [InlineData(new[] { 1, 9000 })]
    [InlineData(new[] { 3, 8192, 5 })]
    [InlineData(new[] { 8191, 8193, 1 })]
    [InlineData(new[] { 100, 20_000, 7 })]
    public void Append_LargeChunksInParallel_MatchReferenceAndSink(int[] chunks)
    {
        var leaves = new LeafHashes(chunks.Sum(), seed: chunks.Length);
        var tree = new ReferenceTree(leaves.Hashes);
        var appender = new MerkleAppender { Parallel = true };
        var sink = new RecordingNodeSink();
        var start = 0;

        foreach (var length in chunks)
        {
            appender.Append(leaves.Span.Slice(start, length), sink);
            start += length;
            Assert.Equal(tree.Root(0, start), appender.Root());
        }

        AssertSinkSawExactly(sink, tree, alreadyBuilt: 0);
    }

    [Fact]
    public void Append_EmptySpan_ChangesNothingAndReportsNothing()
    {
        var leaves = new LeafHashes(5, seed: 1);
        var appender = new MerkleAppender();
        appender.Append(leaves.Span);
        var root = appender.Root();
        var sink = new RecordingNodeSink();

        appender.Append(ReadOnlySpan<Hash>.Empty, sink);

        Assert.Equal(5UL, appender.Size);
        Assert.Equal(root, appender.Root());
        Assert.Empty(sink.Nodes);
    }

    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(4UL, 0)]
    [InlineData(4UL, 2)]
    [InlineData(5UL, 1)]
    [InlineData(5UL, 3)]
    public void FromFringe_WrongNumberOfRoots_Throws(ulong size, int roots)
    {
        Assert.Throws<ArgumentException>(() => MerkleAppender.FromFringe(size, new Hash[roots]));
    }

    [Property]
    public void FringeNodes_AnySize_ArePerfectSubtreesLargestFirst(LeafHashes leaves)
    {
        var appender = new MerkleAppender();
        appender.Append(leaves.Span);
        var size = (ulong)leaves.Count;

        var nodes = appender.FringeNodes();

        Assert.Equal(MerkleAppender.Fringe(size), nodes);
        ulong next = 0;
        foreach (var node in nodes)
        {
            Assert.Equal(next, node.FirstLeaf);
            next = node.EndLeaf;
        }

        Assert.Equal(size, next);
        Assert.Equal(nodes.OrderByDescending(n => n.Level), nodes);
    }

    [Fact]
    public void Append_PastUInt64MaxLeaves_ThrowsAndKeepsTheTree()
    {
        var roots = new LeafHashes(64, seed: 64).Hashes.ToArray();
        var appender = MerkleAppender.FromFringe(ulong.MaxValue, roots);
        var expected = roots[^1];
        for (var i = roots.Length - 2; i >= 0; i--)
        {
            expected = Rfc6962.HashChildren(roots[i], expected);
        }

        Assert.Equal(expected, appender.Root());
        Assert.Throws<OverflowException>(() => appender.Append(Rfc6962.EmptyRoot));
        Assert.Equal(ulong.MaxValue, appender.Size);
        Assert.Equal(expected, appender.Root());
    }

    // The roots of the perfect subtrees of the first `size` leaves, largest first, worked out from the bits of size.
    private static Hash[] FringeRoots(ReferenceTree tree, int size)
    {
        var roots = new List<Hash>();
        var offset = 0;
        for (var level = 30; level >= 0; level--)
        {
            if ((size & (1 << level)) != 0)
            {
                roots.Add(tree.Root(offset, offset + (1 << level)));
                offset += 1 << level;
            }
        }

        return [.. roots];
    }

    // The sink must have seen, exactly once each, every node of the final tree's perfect subtrees (leaves
    // included) that ends after `alreadyBuilt` leaves, with the reference hash, and nothing else.
    private static void AssertSinkSawExactly(RecordingNodeSink sink, ReferenceTree tree, int alreadyBuilt)
    {
        var expected = new HashSet<NodeId>();
        for (var level = 0; (tree.Size >> level) > 0; level++)
        {
            for (var index = 0; index < tree.Size >> level; index++)
            {
                var node = new NodeId(level, (ulong)index);
                if (node.EndLeaf > (ulong)alreadyBuilt)
                {
                    expected.Add(node);
                }
            }
        }

        var duplicates = sink.Nodes.GroupBy(n => n.Node).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
        Assert.Equal(
            expected.OrderBy(n => n.Level).ThenBy(n => n.Index),
            sink.Nodes.Select(n => n.Node).OrderBy(n => n.Level).ThenBy(n => n.Index));
        foreach (var (node, hash) in sink.Nodes)
        {
            Assert.Equal(tree.Root((int)node.FirstLeaf, (int)node.EndLeaf), hash);
        }
    }
}
