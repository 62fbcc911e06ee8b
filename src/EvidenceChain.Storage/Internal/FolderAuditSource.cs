using System.Collections.Concurrent;
using System.Globalization;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// A files-driver data folder as the audit reads it: <c>log/checkpoint</c>, the history <c>log/checkpoints</c>, the
/// tiles and bundles under <c>log/tile</c> (each file read as it is, a partial never read through its full tile) and
/// their older partials (<c>N.p/W</c>). It remembers every tile file it read, so that the audit can name the others.
/// The tokens and blobs have their own file checks (<see cref="TimestampAudit"/>, the blob store's).
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class FolderAuditSource(FileLedgerStore store) : AuditSource
{
    private readonly ConcurrentDictionary<string, bool> _visited = new(StringComparer.Ordinal);

    /// <summary>The full paths of the tile and bundle files read.</summary>
    public ICollection<string> Visited => _visited.Keys;

    public override string CheckpointWhere => "log/checkpoint";

    public override string TilePrefix => "log/";

    public override async ValueTask<string?> ReadCheckpointAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(store.Root, "checkpoint");
        return File.Exists(path) ? await File.ReadAllTextAsync(path, System.Text.Encoding.UTF8, cancellationToken).ConfigureAwait(false) : null;
    }

    public override ValueTask<byte[]?> ReadTileAsync(TileId tile, CancellationToken cancellationToken)
    {
        var path = store.PathOf(tile);
        if (!File.Exists(path))
        {
            return ValueTask.FromResult<byte[]?>(null);
        }

        _visited.TryAdd(path, true);
        return ValueTask.FromResult<byte[]?>(File.ReadAllBytes(path));
    }

    public override ValueTask<IReadOnlyList<int>> PartialWidthsAsync(TileId full, CancellationToken cancellationToken)
    {
        var partialDir = store.PathOf(full) + ".p";
        if (!Directory.Exists(partialDir))
        {
            return ValueTask.FromResult<IReadOnlyList<int>>([]);
        }

        var widths = new List<int>();
        foreach (var file in Directory.EnumerateFiles(partialDir))
        {
            var name = Path.GetFileName(file);
            if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var width)
                && width is >= 1 and < TileId.FullWidth && width.ToString(CultureInfo.InvariantCulture) == name)
            {
                widths.Add(width);
            }
        }

        widths.Sort();
        return ValueTask.FromResult<IReadOnlyList<int>>(widths);
    }

    public override ValueTask<AuditHistory?> ReadHistoryAsync(CancellationToken cancellationToken)
    {
        var records = store.ReadRecords(out var torn);
        var list = records
            .Select((r, i) => (string.Create(CultureInfo.InvariantCulture, $"log/checkpoints record {i} (byte {r.Offset})"), r.Note))
            .ToList();
        var damage = torn is { } at ? string.Create(CultureInfo.InvariantCulture, $"record at byte {at} is truncated or has an impossible length") : null;
        return ValueTask.FromResult<AuditHistory?>(new AuditHistory("log/checkpoints", list, damage));
    }
}
