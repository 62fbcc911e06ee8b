using EvidenceChain.Core;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Cli.Tiles;

/// <summary>
/// Where a C2SP tlog-tiles log is read from: an http(s) URL (a node's HTTP port, a mirror behind any static server)
/// or a local folder in the same layout (a mirror, or a stopped node's <c>data/log</c>). Nothing read is trusted:
/// callers check every byte against a checkpoint signed under a pinned key.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal abstract class TileSource : IDisposable
{
    /// <summary>Largest file read: a full entry bundle of 256 leaves of at most 64 KiB each, plus framing.</summary>
    public const int MaxFileBytes = (TileId.FullWidth * (ushort.MaxValue + 2)) + 1;

    /// <summary>The URL or folder, as the user gave it.</summary>
    public abstract string Name { get; }

    /// <summary>Opens <paramref name="location"/>: an http:// or https:// URL, else a folder that must exist.</summary>
    /// <exception cref="UsageException">Neither a URL nor an existing folder.</exception>
    public static TileSource Open(string location, string option, int concurrency = 8)
    {
        if (location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                throw new UsageException($"{option} \"{location}\" is not a URL such as http://127.0.0.1:5081 (the log's tiles are under it)");
            }

            return new HttpTileSource(uri, concurrency);
        }

        return Directory.Exists(location)
            ? new FolderTileSource(location)
            : throw new UsageException($"{option} \"{location}\" is neither an http(s) URL nor an existing folder");
    }

    /// <summary>The file at <paramref name="path"/> (relative, '/'-separated), or null when the log has none there.</summary>
    /// <exception cref="TileSourceException">It could not be read (after retries, for HTTP), or is too large.</exception>
    public abstract Task<byte[]?> GetAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// The tile or bundle <paramref name="tile"/>, or null when the log has neither it nor, for a partial one, the full
    /// tile it grew into (whose first <see cref="TileId.Width"/> hashes or leaves it then returns, as C2SP tlog-tiles
    /// lets clients do).
    /// </summary>
    public async Task<byte[]?> GetTileAsync(TileId tile, CancellationToken cancellationToken)
    {
        var bytes = await GetAsync(tile.ToPath(), cancellationToken);
        if (bytes is not null || tile.IsFull)
        {
            return bytes;
        }

        var full = await GetAsync((tile with { Width = TileId.FullWidth }).ToPath(), cancellationToken);
        return full is null ? null : Prefix(tile, full);
    }

    /// <summary>The first <see cref="TileId.Width"/> hashes or leaves of a full tile's bytes (all of them when malformed: the caller's check fails).</summary>
    public static byte[] Prefix(TileId tile, byte[] full)
    {
        if (!tile.IsEntryBundle)
        {
            return full.Length >= tile.Width * Hash.Size ? full[..(tile.Width * Hash.Size)] : full;
        }

        var leaves = new List<(int Offset, int Length)>();
        return EntryBundle.TrySplit(full, TileId.FullWidth, leaves, out _) ? full[..(leaves[tile.Width - 1].Offset + leaves[tile.Width - 1].Length)] : full;
    }

    /// <inheritdoc/>
    public virtual void Dispose()
    {
    }
}
