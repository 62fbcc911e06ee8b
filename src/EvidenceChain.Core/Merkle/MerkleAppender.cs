using System.Buffers;
using System.Numerics;

namespace EvidenceChain.Merkle;

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

        // Work buffer: room for one pending left node plus the current level's nodes.
        var buffer = ArrayPool<Hash>.Shared.Rent(leafHashes.Length + 1);
        var next = ArrayPool<Hash>.Shared.Rent((leafHashes.Length / 2) + 1);
        try
        {
            leafHashes.CopyTo(buffer.AsSpan(1));
            var count = leafHashes.Length;
            var index = start;
            for (var level = 0; count > 0; level++)
            {
                // buffer[1 .. count] holds nodes index .. index + count - 1 of this level.
                var offset = 1;
                var first = index;
                if ((index & 1) == 1)
                {
                    buffer[0] = _fringe[level];
                    offset = 0;
                    first = index - 1;
                    count++;
                }

                var pairs = count / 2;
                var work = buffer.AsSpan(offset, count);
                HashPairs(buffer, offset, next, pairs);
                if ((count & 1) == 1)
                {
                    _fringe[level] = work[count - 1];
                }

                if (pairs > 0)
                {
                    sink?.OnNodes(level + 1, first / 2, next.AsSpan(0, pairs));
                }

                next.AsSpan(0, pairs).CopyTo(buffer.AsSpan(1));
                count = pairs;
                index = first / 2;
            }
        }
        finally
        {
            ArrayPool<Hash>.Shared.Return(buffer);
            ArrayPool<Hash>.Shared.Return(next);
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

    private void HashPairs(Hash[] children, int childOffset, Hash[] parents, int pairs)
    {
        if (Parallel && pairs >= ParallelThreshold)
        {
            MerkleMath.HashChildrenParallel(children, childOffset, parents, pairs);
            return;
        }

        Rfc6962.HashChildren(children.AsSpan(childOffset, pairs * 2), parents.AsSpan(0, pairs));
    }
}
