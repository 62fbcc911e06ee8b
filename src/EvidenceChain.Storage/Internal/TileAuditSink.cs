using System.Runtime.InteropServices;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// Receives the nodes the audit re-derives from the entries and compares every tile with them: each full tile when it
/// completes, the partial tiles at the end, and every older partial the source lists as a prefix. The tree calls
/// <see cref="OnNodes"/> synchronously; the comparisons it queues run in order in <see cref="CompareAsync"/>, after
/// each append, from the level-0 tiles read ahead with their bundles (<see cref="Preload"/>) or read then.
/// </summary>
/// <remarks>One thread, as the appender that feeds it.</remarks>
internal sealed class TileAuditSink(AuditSource source, AuditReport report) : INodeSink
{
    private readonly List<List<Hash>> _levels = [];
    private readonly List<ulong> _tileIndex = [];
    private readonly Queue<(TileId Id, Hash[] Expected)> _queued = new();
    private readonly Dictionary<TileId, byte[]?> _preloaded = [];

    /// <summary>Hands over the bytes of <paramref name="tile"/> read ahead (null: missing), so its comparison reads nothing.</summary>
    public void Preload(TileId tile, byte[]? bytes) => _preloaded[tile] = bytes;

    public void OnNodes(int level, ulong firstIndex, ReadOnlySpan<Hash> hashes)
    {
        if (level % TileId.Height != 0)
        {
            return;
        }

        var tileLevel = level / TileId.Height;
        while (_levels.Count <= tileLevel)
        {
            _levels.Add(new List<Hash>(TileId.FullWidth));
            _tileIndex.Add(0);
        }

        var current = _levels[tileLevel];
        while (!hashes.IsEmpty)
        {
            var take = Math.Min(hashes.Length, TileId.FullWidth - current.Count);
            current.AddRange(hashes[..take]);
            hashes = hashes[take..];
            if (current.Count == TileId.FullWidth)
            {
                _queued.Enqueue((TileId.Hashes(tileLevel, _tileIndex[tileLevel], TileId.FullWidth), [.. current]));
                current.Clear();
                _tileIndex[tileLevel]++;
            }
        }
    }

    /// <summary>Compares the tiles completed since the last call, in order.</summary>
    public async Task CompareAsync(CancellationToken cancellationToken)
    {
        while (_queued.TryDequeue(out var next))
        {
            await CompareTileAsync(next.Id, next.Expected, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Compares the partial tiles of the final size.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await CompareAsync(cancellationToken).ConfigureAwait(false);
        for (var level = 0; level < _levels.Count; level++)
        {
            if (_levels[level].Count > 0)
            {
                await CompareTileAsync(TileId.Hashes(level, _tileIndex[level], _levels[level].Count), [.. _levels[level]], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await CheckOlderPartialsAsync(level, _tileIndex[level], [], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CompareTileAsync(TileId id, Hash[] expected, CancellationToken cancellationToken)
    {
        report.Tiles++;
        if (!_preloaded.Remove(id, out var bytes))
        {
            bytes = await source.ReadTileAsync(id, cancellationToken).ConfigureAwait(false);
        }

        if (bytes is null)
        {
            report.Problem(Where(id), "missing");
        }
        else
        {
            CompareHashes(id, bytes, expected);
        }

        await CheckOlderPartialsAsync(id.Level, id.Index, expected, cancellationToken).ConfigureAwait(false);
    }

    private async Task CheckOlderPartialsAsync(int level, ulong index, Hash[] expected, CancellationToken cancellationToken)
    {
        var widths = await source.PartialWidthsAsync(TileId.Hashes(level, index, TileId.FullWidth), cancellationToken).ConfigureAwait(false);
        foreach (var width in widths)
        {
            if (width < 1 || width >= TileId.FullWidth || width > expected.Length)
            {
                // Written by a batch that never published its checkpoint: nothing refers to it.
                continue;
            }

            var id = TileId.Hashes(level, index, width);
            if (await source.ReadTileAsync(id, cancellationToken).ConfigureAwait(false) is { } bytes)
            {
                report.Tiles++;
                CompareHashes(id, bytes, expected);
            }
        }
    }

    private void CompareHashes(TileId id, byte[] bytes, Hash[] expected)
    {
        if (bytes.Length != id.Width * Hash.Size)
        {
            report.Problem(Where(id), $"is {bytes.Length} bytes; a tile of width {id.Width} is {id.Width * Hash.Size}");
            return;
        }

        if (bytes.AsSpan().SequenceEqual(MemoryMarshal.AsBytes(expected.AsSpan(0, id.Width))))
        {
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

    private string Where(TileId id) => source.TilePrefix + id.ToPath();
}
