using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Internal;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Storage;

/// <summary>
/// The ledger's files in the C2SP tlog-tiles layout under one folder: <c>tile/...</c>, <c>checkpoint</c>
/// (the latest signed checkpoint) and <c>checkpoints</c> (every published checkpoint, in order, each as a
/// 4-byte big-endian length and the note's UTF-8 bytes). Publishing <c>checkpoint</c> is the commit point of
/// a batch; on open, history records after the published checkpoint (a batch that crashed) are cut off.
/// </summary>
/// <remarks>Single writer (the caller holds the <see cref="DataFolder"/> lock); reads are thread-safe.</remarks>
internal sealed class FileLedgerStore : ILedgerStore
{
    private const string CheckpointFile = "checkpoint";
    private const string HistoryFile = "checkpoints";
    private readonly string _root;
    private readonly List<TileId> _completed = []; // full tiles written since the last publish (writer only)

    /// <summary>Opens the store in <paramref name="root"/>. Nothing is written until a writer calls <see cref="RepairHistory"/>.</summary>
    public FileLedgerStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
    }

    /// <summary>The folder holding the log's files.</summary>
    public string Root => _root;

    /// <inheritdoc/>
    /// <remarks>
    /// A partial tile whose tile has since been completed may have been deleted (see <see cref="PublishCheckpointAsync"/>):
    /// it is then read as the prefix of the full tile, which is what it was.
    /// </remarks>
    public async ValueTask<byte[]?> ReadTileAsync(TileId tile, CancellationToken cancellationToken)
    {
        if (await ReadFileAsync(PathOf(tile), cancellationToken) is { } bytes)
        {
            return bytes;
        }

        if (tile.IsFull || await ReadFileAsync(PathOf(tile with { Width = TileId.FullWidth }), cancellationToken) is not { } full)
        {
            return null;
        }

        if (!tile.IsEntryBundle)
        {
            return full.Length == TileId.FullWidth * Hash.Size ? full[..(tile.Width * Hash.Size)] : null;
        }

        var spans = new List<(int Offset, int Length)>(TileId.FullWidth);
        return EntryBundle.TrySplit(full, TileId.FullWidth, spans, out _) ? full[..(spans[tile.Width - 1].Offset + spans[tile.Width - 1].Length)] : null;
    }

    private static async ValueTask<byte[]?> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<string?> ReadCheckpointAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_root, CheckpointFile);
        return File.Exists(path) ? await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken) : null;
    }

    /// <inheritdoc/>
    public async ValueTask WriteTilesAsync(IReadOnlyList<TileData> tiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tile in tiles)
        {
            var path = PathOf(tile.Id);
            var folder = Path.GetDirectoryName(path)!;
            Durable.CreateDirectory(folder, changed);
            changed.Add(folder);
        }

        await Parallel.ForEachAsync(
            tiles,
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = 4 },
            async (tile, ct) => await Durable.WriteFileAsync(PathOf(tile.Id), tile.Bytes, ct));
        _completed.AddRange(tiles.Where(t => t.Id.IsFull).Select(t => t.Id));

        foreach (var folder in changed)
        {
            Durable.SyncDirectory(folder);
        }
    }

    /// <inheritdoc/>
    public async ValueTask PublishCheckpointAsync(string signedCheckpoint, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(signedCheckpoint);
        var note = Encoding.UTF8.GetBytes(signedCheckpoint);
        var record = new byte[4 + note.Length];
        BinaryPrimitives.WriteInt32BigEndian(record, note.Length);
        note.CopyTo(record, 4);
        var historyPath = Path.Combine(_root, HistoryFile);
        var created = !File.Exists(historyPath);
        await using (var history = new FileStream(historyPath, OwnerOnly.Apply(new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read })))
        {
            await history.WriteAsync(record, cancellationToken);
            history.Flush(flushToDisk: true);
        }

        if (created)
        {
            Durable.SyncDirectory(_root);
        }

        await Durable.WriteFileAsync(Path.Combine(_root, CheckpointFile), note, cancellationToken);
        Durable.SyncDirectory(_root);
        PrunePartials();
    }

    // Once a published checkpoint covers a full tile, its partial versions are only ever its prefixes: delete them
    // (ReadTileAsync answers for them from the full tile, and tlog-tiles clients fall back to the full tile when a
    // partial is gone). Only after the publish: until then the partials are what the published checkpoint covers. A
    // crash before the deletes leaves partials behind, which is harmless.
    private void PrunePartials()
    {
        foreach (var tile in _completed)
        {
            var partials = PathOf(tile) + ".p";
            if (Directory.Exists(partials))
            {
                Directory.Delete(partials, recursive: true);
            }
        }

        _completed.Clear();
    }

    /// <inheritdoc/>
    public ValueTask DiscardBeyondAsync(ulong size, CancellationToken cancellationToken)
    {
        for (var level = 0; Directory.Exists(Path.Combine(_root, "tile", level.ToString(CultureInfo.InvariantCulture))); level++)
        {
            Discard(level, size, entries: false);
        }

        Discard(0, size, entries: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Deletes, at one tile level, the frontier tile's full file and partials wider than published, and every
    /// tile after it. Batches write tiles left to right without gaps, so the scan stops at the first gap.
    /// </summary>
    private void Discard(int level, ulong size, bool entries)
    {
        var frontier = TileMath.FullTiles(level, size);
        var width = TileMath.PartialWidth(level, size);
        for (var index = frontier; ; index++)
        {
            var full = PathOf(new TileId(entries, level, index, TileId.FullWidth));
            var partials = full + ".p";
            if (!File.Exists(full) && !Directory.Exists(partials))
            {
                return;
            }

            File.Delete(full);
            if (Directory.Exists(partials))
            {
                foreach (var file in Directory.EnumerateFiles(partials))
                {
                    var name = Path.GetFileName(file);
                    var keep = index == frontier
                        && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var w)
                        && w <= width
                        && w.ToString(CultureInfo.InvariantCulture) == name;
                    if (!keep)
                    {
                        File.Delete(file);
                    }
                }
            }
        }
    }

    /// <summary>The full path of a tile or bundle file.</summary>
    public string PathOf(TileId tile) => Path.Combine(_root, tile.ToPath().Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The whole records of the history file, and where a torn or damaged record begins, if any.</summary>
    public List<HistoryRecord> ReadRecords(out long? tornAt)
    {
        tornAt = null;
        var records = new List<HistoryRecord>();
        var path = Path.Combine(_root, HistoryFile);
        if (!File.Exists(path))
        {
            return records;
        }

        var bytes = File.ReadAllBytes(path);
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < 4)
            {
                tornAt = offset;
                break;
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
            if (length <= 0 || length > bytes.Length - offset - 4)
            {
                tornAt = offset;
                break;
            }

            records.Add(new HistoryRecord(offset, offset + 4 + length, Encoding.UTF8.GetString(bytes, offset + 4, length)));
            offset += 4 + length;
        }

        return records;
    }

    /// <summary>
    /// Cuts off history records after the published checkpoint (left by a batch that crashed before publishing).
    /// Call once, as the writer, before appending.
    /// </summary>
    /// <exception cref="LedgerCorruptException">The published checkpoint is not in the history.</exception>
    public void RepairHistory()
    {
        OwnerOnly.CreateDirectory(_root);
        var checkpointPath = Path.Combine(_root, CheckpointFile);
        var historyPath = Path.Combine(_root, HistoryFile);
        if (!File.Exists(checkpointPath))
        {
            // Nothing was ever published, so nothing in the history was either (a first publish that crashed).
            if (File.Exists(historyPath))
            {
                File.Delete(historyPath);
            }

            return;
        }

        var current = File.ReadAllText(checkpointPath, Encoding.UTF8);
        var records = ReadRecords(out _);
        var last = records.FindLastIndex(r => r.Note == current);
        if (last < 0)
        {
            throw new LedgerCorruptException(
                $"The published {CheckpointFile} is not in the {HistoryFile} history; the history file is damaged.");
        }

        var keep = records[last].End;
        if (keep < new FileInfo(historyPath).Length)
        {
            using var history = new FileStream(historyPath, FileMode.Open, FileAccess.Write);
            history.SetLength(keep);
            history.Flush(flushToDisk: true);
        }
    }
}

