namespace EvidenceChain.Core.Tiles;

/// <summary>Which tiles a tree of a given size has (C2SP tlog-tiles).</summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class TileMath
{
    /// <summary>Number of complete nodes at tree level <c>8 * <paramref name="tileLevel"/></c> in a tree of <paramref name="size"/>.</summary>
    public static ulong NodesAtTileLevel(int tileLevel, ulong size) =>
        tileLevel * TileId.Height >= 64 ? 0 : size >> (tileLevel * TileId.Height);

    /// <summary>Number of full tiles at <paramref name="tileLevel"/> in a tree of <paramref name="size"/>.</summary>
    public static ulong FullTiles(int tileLevel, ulong size) => NodesAtTileLevel(tileLevel, size) / TileId.FullWidth;

    /// <summary>Width of the partial tile at <paramref name="tileLevel"/>, or 0 when there is none.</summary>
    public static int PartialWidth(int tileLevel, ulong size) => (int)(NodesAtTileLevel(tileLevel, size) % TileId.FullWidth);

    /// <summary>Number of tile levels that hold at least one hash for a tree of <paramref name="size"/>.</summary>
    public static int TileLevels(ulong size)
    {
        var levels = 0;
        while (NodesAtTileLevel(levels, size) > 0)
        {
            levels++;
        }

        return levels;
    }

    /// <summary>The tile of <paramref name="tileLevel"/> with index <paramref name="index"/> as it is at tree <paramref name="size"/>, or null when it is empty.</summary>
    public static TileId? TileAt(int tileLevel, ulong index, ulong size, bool entries)
    {
        var full = FullTiles(tileLevel, size);
        if (index < full)
        {
            return entries ? TileId.Entries(index, TileId.FullWidth) : TileId.Hashes(tileLevel, index, TileId.FullWidth);
        }

        var width = PartialWidth(tileLevel, size);
        if (index == full && width > 0)
        {
            return entries ? TileId.Entries(index, width) : TileId.Hashes(tileLevel, index, width);
        }

        return null;
    }
}
