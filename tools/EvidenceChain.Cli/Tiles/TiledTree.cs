using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Cli.Tiles;

/// <summary>
/// The nodes of the tree of <see cref="Size"/> leaves as its hash tiles give them: a node of tree level l is the
/// perfect root (<see cref="MerkleMath.PerfectRoot"/>) of 2^(l mod 8) consecutive hashes of a tile of level l / 8.
/// Proofs are <see cref="ProofPlan"/> ranges folded from such nodes, and the root is folded from the tree's perfect
/// subtrees (<see cref="MerkleAppender.FromFringe"/>), as the node's own tree reader does from its files.
/// </summary>
/// <remarks>Thread-safe when <c>readTile</c> is.</remarks>
internal sealed class TiledTree(ulong size, Func<TileId, CancellationToken, ValueTask<Hash[]>> readTile)
{
    /// <summary>The tree's number of leaves.</summary>
    public ulong Size => size;

    /// <summary>Where <paramref name="node"/>'s hash is: its tile (as it is at <paramref name="treeSize"/>), and the offset and count of the tile hashes under it.</summary>
    public static (TileId Tile, int Offset, int Count) Locate(NodeId node, ulong treeSize)
    {
        if (node.EndLeaf > treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(node), $"Node {node} is not complete in a tree of size {treeSize}.");
        }

        var tileLevel = node.Level / TileId.Height;
        var below = node.Level % TileId.Height;
        var first = node.Index << below;
        var tile = TileMath.TileAt(tileLevel, first / TileId.FullWidth, treeSize, entries: false)
            ?? throw new InvalidOperationException($"Node {node} has no tile at size {treeSize}.");
        return (tile, (int)(first % TileId.FullWidth), 1 << below);
    }

    /// <summary>The hash of <paramref name="node"/>, which must be complete in the tree.</summary>
    public async ValueTask<Hash> NodeHashAsync(NodeId node, CancellationToken cancellationToken)
    {
        var (tile, offset, count) = Locate(node, size);
        var hashes = await readTile(tile, cancellationToken);
        return MerkleMath.PerfectRoot(hashes.AsSpan(offset, count));
    }

    /// <summary>The proof hashes of <paramref name="plan"/> (<see cref="ProofPlan.Inclusion"/>, <see cref="ProofPlan.Consistency"/>).</summary>
    public async ValueTask<Hash[]> ProofAsync(LeafRange[] plan, CancellationToken cancellationToken)
    {
        var proof = new Hash[plan.Length];
        for (var i = 0; i < plan.Length; i++)
        {
            var parts = plan[i].Parts();
            var hashes = new Hash[parts.Length];
            for (var j = 0; j < parts.Length; j++)
            {
                hashes[j] = await NodeHashAsync(parts[j], cancellationToken);
            }

            proof[i] = MerkleMath.FoldRange(hashes);
        }

        return proof;
    }

    /// <summary>The root of the first <paramref name="prefix"/> leaves (at most <see cref="Size"/>): the whole tree by default.</summary>
    public async ValueTask<Hash> RootAsync(ulong? prefix, CancellationToken cancellationToken)
    {
        var n = prefix ?? size;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, size, nameof(prefix));
        var fringe = MerkleAppender.Fringe(n);
        var roots = new Hash[fringe.Length];
        for (var i = 0; i < fringe.Length; i++)
        {
            roots[i] = await NodeHashAsync(fringe[i], cancellationToken);
        }

        return MerkleAppender.FromFringe(n, roots).Root();
    }

    /// <summary>Parses a hash tile's bytes; null when they are not exactly <see cref="TileId.Width"/> hashes.</summary>
    public static Hash[]? ParseTile(TileId tile, byte[] bytes) =>
        bytes.Length == tile.Width * Hash.Size ? Hash.FromConcatenated(bytes).ToArray() : null;
}
