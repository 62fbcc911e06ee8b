using EvidenceChain.Core;
using EvidenceChain.Ledger;

namespace EvidenceChain.Testing;

/// <summary>An in-memory <see cref="IEntryIndex"/>.</summary>
public sealed class MemoryEntryIndex : IEntryIndex
{
    private readonly List<IndexedEntry> _entries = [];

    /// <inheritdoc/>
    public ulong IndexedSize
    {
        get
        {
            lock (_entries)
            {
                return (ulong)_entries.Count;
            }
        }
    }

    /// <inheritdoc/>
    public void Add(IReadOnlyList<IndexedEntry> entries)
    {
        lock (_entries)
        {
            var expected = entries.Count > 0 ? entries[0].Index : 0;
            foreach (var e in entries)
            {
                if (e.Index != expected++)
                {
                    throw new ArgumentException($"Expected entry {expected - 1} next; got {e.Index}.", nameof(entries));
                }

                if (e.Index < (ulong)_entries.Count)
                {
                    continue;
                }

                if (e.Index != (ulong)_entries.Count)
                {
                    throw new ArgumentException($"Expected entry {_entries.Count} next; got {e.Index}.", nameof(entries));
                }

                _entries.Add(e);
            }
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        lock (_entries)
        {
            _entries.Clear();
        }
    }

    /// <inheritdoc/>
    public ulong? FindByLeafHash(Hash leafHash)
    {
        lock (_entries)
        {
            return _entries.FirstOrDefault(e => e.LeafHash == leafHash)?.Index;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<ulong> FindByDigest(Hash digest, int limit)
    {
        lock (_entries)
        {
            return [.. _entries.Where(e => e.Digests.Contains(digest)).Select(e => e.Index).Take(limit)];
        }
    }
}
