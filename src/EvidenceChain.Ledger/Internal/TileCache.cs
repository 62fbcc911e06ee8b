using System.Collections.Concurrent;

namespace EvidenceChain.Ledger.Internal;

/// <summary>
/// Full hash tiles kept in memory. Full tiles never change, so entries never go stale; when the cache is over
/// capacity it drops an arbitrary half. Thread-safe.
/// </summary>
internal sealed class TileCache(int capacity)
{
    private readonly ConcurrentDictionary<(int Level, ulong Index), Hash[]> _tiles = new();

    public bool TryGet(int level, ulong index, out Hash[] hashes) => _tiles.TryGetValue((level, index), out hashes!);

    public void Add(int level, ulong index, Hash[] hashes)
    {
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

        _tiles[(level, index)] = hashes;
    }
}
