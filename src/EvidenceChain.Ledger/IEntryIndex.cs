using EvidenceChain.Core;

namespace EvidenceChain.Ledger;

/// <summary>
/// The derived look-up index: from leaf hash and artefact digests to entry index. It can always be rebuilt from
/// the ledger's entries, so implementations need not be durable on every write.
/// </summary>
public interface IEntryIndex
{
    /// <summary>How many entries (indices 0 to IndexedSize - 1) the index holds.</summary>
    ulong IndexedSize { get; }

    /// <summary>Adds entries <see cref="IndexedSize"/> onwards, in order, with no gaps.</summary>
    void Add(IReadOnlyList<IndexedEntry> entries);

    /// <summary>Empties the index, for a rebuild.</summary>
    void Reset();

    /// <summary>The index of the entry whose leaf hash is <paramref name="leafHash"/>, if any.</summary>
    ulong? FindByLeafHash(Hash leafHash);

    /// <summary>Indices of entries listing an artefact with this SHA-256 or SM3 digest, ascending, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<ulong> FindByDigest(Hash digest, int limit);
}
