using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Cli.Tiles;

/// <summary>
/// A log read through its tlog-tiles files rather than a node's API, for <c>--log URL|DIR</c>: its checkpoint, its
/// tree at a size (<see cref="TiledTree"/>) and its leaves. Nothing is checked here; the commands verify what they
/// compute against the checkpoint signed under the pinned key. A missing or malformed file is a
/// <see cref="TileSourceException"/> naming it.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class TiledLog(TileSource source)
{
    private readonly ConcurrentDictionary<TileId, Task<Hash[]>> _tiles = new();

    /// <summary>The log's location, as given.</summary>
    public string Name => source.Name;

    /// <summary>The log's checkpoint note as served.</summary>
    public async Task<string> CheckpointAsync(CancellationToken cancellationToken)
    {
        var bytes = await source.GetAsync("checkpoint", cancellationToken)
            ?? throw new TileSourceException($"{source.Name} has no checkpoint; is it a tlog-tiles log or mirror?");
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The tree of <paramref name="size"/> leaves (the checkpoint's size, or less: complete nodes are the same).</summary>
    public TiledTree Tree(ulong size) => new(size, (tile, ct) => new ValueTask<Hash[]>(_tiles.GetOrAdd(tile, t => ReadTileAsync(t, ct))));

    /// <summary>Leaf <paramref name="index"/> from its entry bundle as it is in the tree of <paramref name="size"/> leaves.</summary>
    public async Task<byte[]> LeafAsync(ulong index, ulong size, CancellationToken cancellationToken)
    {
        var bundle = TileMath.TileAt(0, index / TileId.FullWidth, size, entries: true)
            ?? throw new ArgumentOutOfRangeException(nameof(index), $"Entry {index} is not in the tree of size {size}.");
        var bytes = await GetAsync(bundle, cancellationToken);
        var leaves = new List<(int Offset, int Length)>();
        if (!EntryBundle.TrySplit(bytes, bundle.Width, leaves, out var error))
        {
            throw new TileSourceException($"{bundle} of {source.Name} is malformed: {error}");
        }

        var (offset, length) = leaves[(int)(index % TileId.FullWidth)];
        return bytes.AsSpan(offset, length).ToArray();
    }

    private async Task<Hash[]> ReadTileAsync(TileId tile, CancellationToken cancellationToken)
    {
        var bytes = await GetAsync(tile, cancellationToken);
        return TiledTree.ParseTile(tile, bytes)
            ?? throw new TileSourceException(string.Create(CultureInfo.InvariantCulture, $"{tile} of {source.Name} is {bytes.Length} bytes, not {tile.Width} hashes"));
    }

    private async Task<byte[]> GetAsync(TileId tile, CancellationToken cancellationToken) =>
        await source.GetTileAsync(tile, cancellationToken)
        ?? throw new TileSourceException($"{source.Name} has no {tile}, which its checkpoint needs");
}
