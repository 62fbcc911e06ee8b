using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Ledger.Internal;

/// <summary>
/// Turns one batch of appends into the tile and bundle files it completes or changes. It sees every node the
/// <see cref="MerkleAppender"/> completes and keeps those of tree levels 0, 8, 16, ... (the tile levels).
/// Single use, not thread-safe.
/// </summary>
internal sealed class BatchBuilder : INodeSink
{
    private readonly List<List<Hash>> _levels = [];
    private readonly List<ulong> _tileIndex = [];
    private readonly List<bool> _touched = [];
    private readonly List<byte> _bundle;
    private readonly List<TileData> _writes = [];
    private readonly TileCache _cache;
    private ulong _bundleIndex;
    private int _bundleCount;

    public BatchBuilder(TreeState state, TileCache cache)
    {
        _cache = cache;
        for (var level = 0; level < state.PartialTiles.Length; level++)
        {
            AddLevel(state.PartialTile(level), TileMath.FullTiles(level, state.Size));
        }

        _bundle = [.. state.PartialBundle];
        _bundleIndex = TileMath.FullTiles(0, state.Size);
        _bundleCount = TileMath.PartialWidth(0, state.Size);
    }

    public IReadOnlyList<TileData> Writes => _writes;

    public void AddLeaf(ReadOnlySpan<byte> leaf)
    {
        EntryBundle.Append(_bundle, leaf);
        if (++_bundleCount == TileId.FullWidth)
        {
            _writes.Add(new TileData(TileId.Entries(_bundleIndex, TileId.FullWidth), _bundle.ToArray()));
            _bundle.Clear();
            _bundleCount = 0;
            _bundleIndex++;
        }
    }

    public void OnNodes(int level, ulong firstIndex, ReadOnlySpan<Hash> hashes)
    {
        if (level % TileId.Height != 0)
        {
            return;
        }

        var tileLevel = level / TileId.Height;
        while (_levels.Count <= tileLevel)
        {
            AddLevel([], 0);
        }

        var buffer = _levels[tileLevel];
        _touched[tileLevel] = true;
        foreach (var hash in hashes)
        {
            buffer.Add(hash);
            if (buffer.Count == TileId.FullWidth)
            {
                var full = buffer.ToArray();
                var id = TileId.Hashes(tileLevel, _tileIndex[tileLevel], TileId.FullWidth);
                _writes.Add(new TileData(id, Hash.AsBytes(full).ToArray()));
                _cache.Add(tileLevel, _tileIndex[tileLevel], full);
                buffer.Clear();
                _tileIndex[tileLevel]++;
            }
        }
    }

    /// <summary>Adds the partial tiles and bundle as they stand at the end of the batch; returns the new partial state.</summary>
    public (Hash[][] PartialTiles, byte[] PartialBundle) Finish()
    {
        var partials = new Hash[_levels.Count][];
        for (var level = 0; level < _levels.Count; level++)
        {
            partials[level] = [.. _levels[level]];
            if (_touched[level] && partials[level].Length > 0)
            {
                var id = TileId.Hashes(level, _tileIndex[level], partials[level].Length);
                _writes.Add(new TileData(id, Hash.AsBytes(partials[level]).ToArray()));
            }
        }

        var bundle = _bundle.ToArray();
        if (_bundleCount > 0)
        {
            _writes.Add(new TileData(TileId.Entries(_bundleIndex, _bundleCount), bundle));
        }

        return (partials, bundle);
    }

    private void AddLevel(Hash[] partial, ulong fullTiles)
    {
        _levels.Add([.. partial]);
        _tileIndex.Add(fullTiles);
        _touched.Add(false);
    }
}
