using System.Buffers;
using System.Numerics;

namespace EvidenceChain.Core.Merkle;

/// <summary>
/// Appends leaf hashes to an RFC 6962 tree while keeping only its right fringe: the roots of the perfect
/// subtrees that make up the tree (a compact range from 0 to <see cref="Size"/>), one per set bit of the size.
/// Appends work level by level, so that each level's new nodes are hashed in one batch and every interior
/// node is hashed exactly once; an optional <see cref="INodeSink"/> sees each completed node (the tile
/// builder uses this).
/// </summary>
/// <remarks>Not thread-safe; one writer at a time. <see cref="Root"/> costs at most 63 hashes.</remarks>
public sealed class MerkleAppender
{
    /// <summary>Batches with at least this many pairs on a level are hashed on two threads when allowed.</summary>
    private const int ParallelThreshold = 4096;

    private readonly Hash[] _fringe = new Hash[64];

    /// <summary>Creates an empty tree.</summary>
    public MerkleAppender()
    {
    }

    /// <summary>Number of leaves appended so far.</summary>
    public ulong Size { get; private set; }

    /// <summary>Hash the levels of large appends on all cores. Default false.</summary>
    public bool Parallel { get; init; }

    /// <summary>
    /// Rebuilds the fringe of a tree of <paramref name="size"/> leaves from the roots of its perfect subtrees,
    /// given largest (leftmost) first: exactly one per set bit of <paramref name="size"/>.
    /// </summary>
    public static MerkleAppender FromFringe(ulong size, ReadOnlySpan<Hash> subtreeRoots, bool parallel = false)
    {
        var expected = BitOperations.PopCount(size);
        if (subtreeRoots.Length != expected)
        {
            throw new ArgumentException(
                $"A tree of size {size} has {expected} perfect subtrees; got {subtreeRoots.Length} roots.",
                nameof(subtreeRoots));
        }

        var appender = new MerkleAppender { Parallel = parallel, Size = size };
        var i = 0;
        for (var level = 63; level >= 0; level--)
        {
            if ((size & (1UL << level)) != 0)
            {
                appender._fringe[level] = subtreeRoots[i++];
            }
        }

        return appender;
    }

    /// <summary>The perfect subtrees the tree is made of, largest (leftmost) first.</summary>
    public NodeId[] FringeNodes() => Fringe(Size);

    /// <summary>The perfect subtrees a tree of <paramref name="size"/> leaves is made of, largest first.</summary>
    public static NodeId[] Fringe(ulong size)
    {
        var nodes = new NodeId[BitOperations.PopCount(size)];
        var i = 0;
        for (var level = 63; level >= 0; level--)
        {
            if ((size & (1UL << level)) != 0)
            {
                nodes[i++] = new NodeId(level, (size >> level) - 1);
            }
        }

        return nodes;
    }

    /// <summary>Appends one leaf hash.</summary>
    public void Append(Hash leafHash, INodeSink? sink = null) => Append([leafHash], sink);

    /// <summary>Appends leaf hashes in order, reporting every completed node to <paramref name="sink"/>.</summary>
    public void Append(ReadOnlySpan<Hash> leafHashes, INodeSink? sink = null)
    {
        if (leafHashes.IsEmpty)
        {
            return;
        }

        var start = Size;
        checked
        {
            _ = start + (ulong)leafHashes.Length;
        }

        sink?.OnNodes(0, start, leafHashes);

        // Each level is hashed from the one below without copying: level 0 straight from the caller's span, then
        // back and forth between two buffers (a level of n nodes makes at most n / 2 + 1 parents).
        var even = ArrayPool<Hash>.Shared.Rent((leafHashes.Length / 2) + 2);
        var odd = ArrayPool<Hash>.Shared.Rent((leafHashes.Length / 4) + 2);
        try
        {
            ReadOnlySpan<Hash> nodes = leafHashes;
            var target = even;
            var index = start;
            for (var level = 0; !nodes.IsEmpty; level++)
            {
                // nodes holds nodes index .. index + nodes.Length - 1 of this level.
                var first = index;
                var made = 0;
                if ((index & 1) == 1)
                {
                    // The fringe holds this node's left sibling.
                    target[0] = Rfc6962.HashChildren(_fringe[level], nodes[0]);
                    nodes = nodes[1..];
                    first = index - 1;
                    made = 1;
                }

                var pairs = nodes.Length / 2;
                HashPairs(nodes[..(pairs * 2)], target.AsSpan(made, pairs));
                if ((nodes.Length & 1) == 1)
                {
                    _fringe[level] = nodes[^1];
                }

                made += pairs;
                if (made > 0)
                {
                    sink?.OnNodes(level + 1, first / 2, target.AsSpan(0, made));
                }

                nodes = target.AsSpan(0, made);
                index = first / 2;
                target = target == even ? odd : even;
            }
        }
        finally
        {
            ArrayPool<Hash>.Shared.Return(even);
            ArrayPool<Hash>.Shared.Return(odd);
        }

        Size = start + (ulong)leafHashes.Length;
    }

    /// <summary>The root hash of the tree: <see cref="Rfc6962.EmptyRoot"/> when empty.</summary>
    public Hash Root()
    {
        if (Size == 0)
        {
            return Rfc6962.EmptyRoot;
        }

        var level = BitOperations.TrailingZeroCount(Size);
        var root = _fringe[level];
        for (level++; level < 64; level++)
        {
            if ((Size & (1UL << level)) != 0)
            {
                root = Rfc6962.HashChildren(_fringe[level], root);
            }
        }

        return root;
    }

    private void HashPairs(ReadOnlySpan<Hash> children, Span<Hash> parents)
    {
        if (Parallel && parents.Length >= ParallelThreshold && MerkleMath.CanRunParallel)
        {
            MerkleMath.HashChildrenParallel(children, parents);
            return;
        }

        Rfc6962.HashChildren(children, parents);
    }
}
