using System.Collections.Concurrent;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Ledger.Internal;

/// <summary>
/// Full hash tiles kept in memory, each with the eight tree levels it spans worked out once: the tile's 256 hashes
/// of level 8L, then 128 of level 8L+1, ..., and 1 of level 8L+8 (511 hashes, 16 KiB). Any node inside a cached
/// tile is then a look-up instead of up to 255 hash computations, which is what makes proof serving cheap. Full
/// tiles never change, so entries never go stale; when the cache is over capacity it drops an arbitrary half.
/// Thread-safe.
/// </summary>
internal sealed class TileCache(int capacity)
{
    /// <summary>Hashes in a tile's tree: 256 + 128 + ... + 1.</summary>
    public const int TreeSize = (2 * TileId.FullWidth) - 1;

    private readonly ConcurrentDictionary<(int Level, ulong Index), Hash[]> _tiles = new();

    /// <summary>Where the hashes of <paramref name="height"/> levels above the tile's own start in a tile tree.</summary>
    public static int LevelStart(int height) => (2 * TileId.FullWidth) - ((2 * TileId.FullWidth) >> height);

    public bool TryGet(int level, ulong index, out Hash[] tree) => _tiles.TryGetValue((level, index), out tree!);

    /// <summary>Caches a full tile from its 256 hashes and returns its tree.</summary>
    public Hash[] Add(int level, ulong index, ReadOnlySpan<Hash> hashes)
    {
        var tree = BuildTree(hashes);
        if (_tiles.Count >= capacity)
        {
            var drop = 0;
            foreach (var key in _tiles.Keys)
            {
                if (drop++ % 2 == 0)
                {
                    _tiles.TryRemove(key, out _);
                }
            }
        }

        _tiles[(level, index)] = tree;
        return tree;
    }

    private static Hash[] BuildTree(ReadOnlySpan<Hash> hashes)
    {
        if (hashes.Length != TileId.FullWidth)
        {
            throw new ArgumentException($"A full tile has {TileId.FullWidth} hashes; got {hashes.Length}.", nameof(hashes));
        }

        var tree = new Hash[TreeSize];
        hashes.CopyTo(tree);
        for (var height = 1; height <= TileId.Height; height++)
        {
            var below = tree.AsSpan(LevelStart(height - 1), TileId.FullWidth >> (height - 1));
            Rfc6962.HashChildren(below, tree.AsSpan(LevelStart(height), TileId.FullWidth >> height));
        }

        return tree;
    }
}
