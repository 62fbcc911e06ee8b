using System.Globalization;
using System.Text;

namespace EvidenceChain.Tiles;

/// <summary>
/// Names one file of the C2SP tlog-tiles layout: a hash tile <c>tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c> holding
/// up to 256 node hashes of tree level 8L, or an entry bundle <c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c> holding up to
/// 256 leaves. A tile of width 256 is full and never changes; a narrower one is partial.
/// </summary>
/// <param name="IsEntryBundle">True for an entry bundle, false for a hash tile.</param>
/// <param name="Level">Tile level (0 for bundles): its hashes are nodes of tree level 8 * Level.</param>
/// <param name="Index">Tile index N: it covers level nodes [256 N, 256 N + Width).</param>
/// <param name="Width">Number of hashes or entries, 1 to 256.</param>
public readonly record struct TileId(bool IsEntryBundle, int Level, ulong Index, int Width)
{
    /// <summary>Hashes or entries in a full tile.</summary>
    public const int FullWidth = 256;

    /// <summary>Tree levels per tile level.</summary>
    public const int Height = 8;

    /// <summary>True when the tile holds all 256 hashes or entries.</summary>
    public bool IsFull => Width == FullWidth;

    /// <summary>A hash tile.</summary>
    public static TileId Hashes(int level, ulong index, int width) => new(false, level, index, Check(width));

    /// <summary>An entry bundle.</summary>
    public static TileId Entries(ulong index, int width) => new(true, 0, index, Check(width));

    /// <summary>The path relative to the log's root, with '/' separators, e.g. <c>tile/0/x001/234.p/7</c>.</summary>
    public string ToPath()
    {
        var path = new StringBuilder("tile/");
        path.Append(IsEntryBundle ? "entries" : Level.ToString(CultureInfo.InvariantCulture)).Append('/');
        AppendIndex(path, Index);
        if (!IsFull)
        {
            path.Append(".p/").Append(Width.ToString(CultureInfo.InvariantCulture));
        }

        return path.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToPath();

    private static void AppendIndex(StringBuilder path, ulong index)
    {
        // Groups of three decimal digits, all but the last prefixed with 'x': 1234067 -> x001/x234/067.
        var groups = new List<ulong>();
        do
        {
            groups.Add(index % 1000);
            index /= 1000;
        }
        while (index > 0);

        for (var i = groups.Count - 1; i >= 0; i--)
        {
            if (i > 0)
            {
                path.Append('x');
            }

            path.Append(groups[i].ToString("000", CultureInfo.InvariantCulture));
            if (i > 0)
            {
                path.Append('/');
            }
        }
    }

    private static int Check(int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1, nameof(width));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, FullWidth, nameof(width));
        return width;
    }
}
