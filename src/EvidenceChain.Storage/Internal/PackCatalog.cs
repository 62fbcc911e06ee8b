using EvidenceChain.Core;

namespace EvidenceChain.Storage.Internal;

/// <summary>Where every packed blob is, by SHA-256: filled when the packs are opened and as the writer makes blobs durable.</summary>
/// <remarks>Thread-safe. About 60 bytes per blob, all in memory.</remarks>
internal sealed class PackCatalog
{
    private readonly object _gate = new();
    private readonly Dictionary<Hash, PackLocation> _blobs = [];

    /// <summary>The number of packed blobs.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _blobs.Count;
            }
        }
    }

    /// <summary>True when a blob with this SHA-256 is packed.</summary>
    public bool Contains(Hash sha256)
    {
        lock (_gate)
        {
            return _blobs.ContainsKey(sha256);
        }
    }

    /// <summary>Where the blob with this SHA-256 is.</summary>
    public bool TryGet(Hash sha256, out PackLocation location)
    {
        lock (_gate)
        {
            return _blobs.TryGetValue(sha256, out location);
        }
    }

    /// <summary>Adds blobs read from a pack; a SHA-256 already known keeps its first location.</summary>
    public void AddFound(IEnumerable<(Hash Sha256, PackLocation Location)> records)
    {
        lock (_gate)
        {
            foreach (var (sha256, location) in records)
            {
                _blobs.TryAdd(sha256, location);
            }
        }
    }

    /// <summary>Makes blobs just made durable visible.</summary>
    public void Publish(IEnumerable<(Hash Sha256, PackLocation Location)> records)
    {
        lock (_gate)
        {
            foreach (var (sha256, location) in records)
            {
                _blobs[sha256] = location;
            }
        }
    }

    /// <summary>Every packed blob, in no order.</summary>
    public List<(Hash Sha256, PackLocation Location)> Snapshot()
    {
        lock (_gate)
        {
            return [.. _blobs.Select(b => (b.Key, b.Value))];
        }
    }
}
