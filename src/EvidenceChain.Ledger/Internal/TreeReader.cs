using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Ledger.Internal;

/// <summary>
/// Reads node hashes and leaves of the tree as of a <see cref="TreeState"/>: full tiles from the store (cached),
/// partial ones from the snapshot. Any node costs one tile read; a proof O(log n). Thread-safe.
/// </summary>
internal sealed class TreeReader(ILedgerStore store, TileCache cache)
{
    public async ValueTask<Hash> NodeHashAsync(NodeId node, TreeState state, CancellationToken cancellationToken)
    {
        if (node.EndLeaf > state.Size)
        {
            throw new ArgumentOutOfRangeException(
                nameof(node), $"Node {node} is not complete in a tree of size {state.Size}.");
        }

        var tileLevel = node.Level / TileId.Height;
        var below = node.Level % TileId.Height;
        var first = node.Index << below;
        var count = 1 << below;
        var tileIndex = first / TileId.FullWidth;
        var offset = (int)(first % TileId.FullWidth);
        if (state.IsFullTile(tileLevel, tileIndex))
        {
            var tree = await FullTileAsync(tileLevel, tileIndex, cancellationToken);
            return tree[TileCache.LevelStart(below) + (offset >> below)];
        }

        var hashes = state.PartialTile(tileLevel);
        if (offset + count > hashes.Length)
        {
            throw new LedgerCorruptException(
                $"Tile {TileId.Hashes(tileLevel, tileIndex, Math.Max(1, hashes.Length))} holds {hashes.Length} hashes; node {node} needs {offset + count}.");
        }

        return MerkleMath.PerfectRoot(hashes.AsSpan(offset, count));
    }

    public async ValueTask<Hash> RangeHashAsync(LeafRange range, TreeState state, CancellationToken cancellationToken)
    {
        var parts = range.Parts();
        var hashes = new Hash[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            hashes[i] = await NodeHashAsync(parts[i], state, cancellationToken);
        }

        return MerkleMath.FoldRange(hashes);
    }

    public async ValueTask<Hash[]> ProofAsync(LeafRange[] plan, TreeState state, CancellationToken cancellationToken)
    {
        var proof = new Hash[plan.Length];
        for (var i = 0; i < plan.Length; i++)
        {
            proof[i] = await RangeHashAsync(plan[i], state, cancellationToken);
        }

        return proof;
    }

    public async ValueTask<byte[]> LeafAsync(ulong index, TreeState state, CancellationToken cancellationToken)
    {
        if (index >= state.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Entry {index} does not exist; the log has {state.Size} entries.");
        }

        var id = TileMath.TileAt(0, index / TileId.FullWidth, state.Size, entries: true)!.Value;
        var (bundle, spans) = await SplitBundleAsync(id, state, cancellationToken);
        var (offset, length) = spans[(int)(index % TileId.FullWidth)];
        return bundle.AsSpan(offset, length).ToArray();
    }

    /// <summary>The leaves of entry bundle <paramref name="bundleIndex"/> as of <paramref name="state"/>.</summary>
    public async ValueTask<byte[][]> BundleLeavesAsync(ulong bundleIndex, TreeState state, CancellationToken cancellationToken)
    {
        var id = TileMath.TileAt(0, bundleIndex, state.Size, entries: true)
            ?? throw new ArgumentOutOfRangeException(nameof(bundleIndex), $"Bundle {bundleIndex} is empty at size {state.Size}.");
        var (bundle, spans) = await SplitBundleAsync(id, state, cancellationToken);
        return [.. spans.Select(s => bundle.AsSpan(s.Offset, s.Length).ToArray())];
    }

    // The bundle's bytes and where each leaf is in them.
    private async ValueTask<(byte[] Bundle, List<(int Offset, int Length)> Spans)> SplitBundleAsync(TileId id, TreeState state, CancellationToken cancellationToken)
    {
        var bundle = id.IsFull
            ? await store.ReadTileAsync(id, cancellationToken) ?? throw new LedgerCorruptException($"Entry bundle {id} is missing.")
            : state.PartialBundle;
        var spans = new List<(int Offset, int Length)>(id.Width);
        if (!EntryBundle.TrySplit(bundle, id.Width, spans, out var error))
        {
            throw new LedgerCorruptException($"Entry bundle {id}: {error}.");
        }

        return (bundle, spans);
    }

    /// <summary>A full tile's tree (<see cref="TileCache"/>): its 256 hashes first, then the levels above them.</summary>
    public async ValueTask<Hash[]> FullTileAsync(int level, ulong index, CancellationToken cancellationToken)
    {
        if (cache.TryGet(level, index, out var cached))
        {
            return cached;
        }

        var id = TileId.Hashes(level, index, TileId.FullWidth);
        var bytes = await store.ReadTileAsync(id, cancellationToken)
            ?? throw new LedgerCorruptException($"Tile {id} is missing.");
        return cache.Add(level, index, ParseTile(id, bytes));
    }

    public static Hash[] ParseTile(TileId id, byte[] bytes)
    {
        if (bytes.Length != id.Width * Hash.Size)
        {
            throw new LedgerCorruptException($"Tile {id} is {bytes.Length} bytes; expected {id.Width * Hash.Size}.");
        }

        return Hash.FromConcatenated(bytes).ToArray();
    }
}
