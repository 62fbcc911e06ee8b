using System.Globalization;
using System.Text;

namespace EvidenceChain.Core.Tiles;

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

    /// <summary>
    /// Parses a path as <see cref="ToPath"/> writes it (e.g. <c>tile/entries/x001/234.p/7</c>). Only the canonical form
    /// is accepted, so that each tile has exactly one name.
    /// </summary>
    public static bool TryParsePath(string? path, out TileId tile)
    {
        tile = default;
        if (path is null || path.Length > 256 || !path.StartsWith("tile/", StringComparison.Ordinal))
        {
            return false;
        }

        var segments = path.Split('/');
        if (segments.Length < 3)
        {
            return false;
        }

        var width = FullWidth;
        var last = segments.Length - 1;
        if (segments.Length >= 4 && segments[^2].EndsWith(".p", StringComparison.Ordinal))
        {
            if (!int.TryParse(segments[^1], NumberStyles.None, CultureInfo.InvariantCulture, out width) || width is < 1 or >= FullWidth)
            {
                return false;
            }

            segments[^2] = segments[^2][..^2];
            last--;
        }

        var entries = segments[1] == "entries";
        var level = 0;
        if (!entries && (!int.TryParse(segments[1], NumberStyles.None, CultureInfo.InvariantCulture, out level) || level > 63))
        {
            return false;
        }

        ulong index = 0;
        for (var i = 2; i <= last; i++)
        {
            var group = i < last ? (segments[i].StartsWith('x') ? segments[i][1..] : string.Empty) : segments[i];
            if (group.Length != 3 || !ulong.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var digits)
                || index > (ulong.MaxValue - digits) / 1000)
            {
                return false;
            }

            index = (index * 1000) + digits;
        }

        var candidate = new TileId(entries, level, index, width);
        if (candidate.ToPath() != path)
        {
            return false;
        }

        tile = candidate;
        return true;
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
