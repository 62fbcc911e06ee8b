using System.Globalization;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// Receives the nodes the audit re-derives from the entries and compares every tile file with them: each full
/// tile when it completes, the partial tiles at the end, and every older partial (<c>.p/W</c>) as a prefix.
/// </summary>
internal sealed class TileAuditSink(FileLedgerStore store, AuditReport report, string logPrefix, HashSet<string> visited) : INodeSink
{
    private readonly List<List<Hash>> _levels = [];
    private readonly List<ulong> _tileIndex = [];

    public void OnNodes(int level, ulong firstIndex, ReadOnlySpan<Hash> hashes)
    {
        if (level % TileId.Height != 0)
        {
            return;
        }

        var tileLevel = level / TileId.Height;
        while (_levels.Count <= tileLevel)
        {
            _levels.Add([]);
            _tileIndex.Add(0);
        }

        foreach (var hash in hashes)
        {
            _levels[tileLevel].Add(hash);
            if (_levels[tileLevel].Count == TileId.FullWidth)
            {
                Compare(tileLevel, _tileIndex[tileLevel], _levels[tileLevel]);
                _levels[tileLevel].Clear();
                _tileIndex[tileLevel]++;
            }
        }
    }

    /// <summary>Compares the partial tiles of the final size.</summary>
    public void Finish()
    {
        for (var level = 0; level < _levels.Count; level++)
        {
            if (_levels[level].Count > 0)
            {
                Compare(level, _tileIndex[level], _levels[level]);
            }
            else
            {
                CheckOlderPartials(level, _tileIndex[level], []);
            }
        }
    }

    private void Compare(int level, ulong index, List<Hash> expected)
    {
        var id = TileId.Hashes(level, index, expected.Count);
        var path = store.PathOf(id);
        visited.Add(path);
        report.Tiles++;
        if (!File.Exists(path))
        {
            report.Problem(Where(id), "missing");
        }
        else
        {
            CompareHashes(id, File.ReadAllBytes(path), expected);
        }

        CheckOlderPartials(level, index, expected);
    }

    private void CheckOlderPartials(int level, ulong index, List<Hash> expected)
    {
        var partialDir = store.PathOf(TileId.Hashes(level, index, TileId.FullWidth)) + ".p";
        if (!Directory.Exists(partialDir))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(partialDir))
        {
            if (!int.TryParse(Path.GetFileName(file), NumberStyles.None, CultureInfo.InvariantCulture, out var width)
                || width is < 1 or >= TileId.FullWidth || width.ToString(CultureInfo.InvariantCulture) != Path.GetFileName(file))
            {
                continue;
            }

            if (width > expected.Count)
            {
                // Written by a batch that never published its checkpoint: nothing refers to it.
                continue;
            }

            var id = TileId.Hashes(level, index, width);
            visited.Add(file);
            report.Tiles++;
            CompareHashes(id, File.ReadAllBytes(file), expected);
        }
    }

    private void CompareHashes(TileId id, byte[] bytes, List<Hash> expected)
    {
        if (bytes.Length != id.Width * Hash.Size)
        {
            report.Problem(Where(id), $"is {bytes.Length} bytes; a tile of width {id.Width} is {id.Width * Hash.Size}");
            return;
        }

        var stored = Hash.FromConcatenated(bytes);
        for (var i = 0; i < id.Width; i++)
        {
            if (stored[i] != expected[i])
            {
                var node = (id.Index * TileId.FullWidth) + (ulong)i;
                var what = id.Level == 0 ? $"entry {node}'s leaf hash" : $"node {node} of tree level {id.Level * TileId.Height}";
                report.Problem(
                    Where(id),
                    $"hash {i} ({what}) is {stored[i]}, but the entries give {expected[i]}");
                return;
            }
        }
    }

    private string Where(TileId id) => logPrefix + id.ToPath();
}
