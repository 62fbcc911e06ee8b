using EvidenceChain.Core;

namespace EvidenceChain.Ledger;

/// <summary>
/// The derived look-up index: from leaf hash and artefact digests to entry index. It can always be rebuilt from
/// the ledger's entries, so implementations need not be durable on every write. <see cref="EvidenceLedger"/> keeps it
/// following the published log, off the acknowledgement path (docs/design.md §6, "Storage drivers").
/// </summary>
public interface IEntryIndex
{
    /// <summary>How many entries (indices 0 to IndexedSize - 1) the index holds.</summary>
    ulong IndexedSize { get; }

    /// <summary>
    /// Adds consecutive entries, in order. Entries below <see cref="IndexedSize"/> are skipped (another writer of a
    /// shared index added them already: every writer adds the same entries, read from the published log), so the first
    /// entry must be at most <see cref="IndexedSize"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The entries are not consecutive, or the first is beyond <see cref="IndexedSize"/> (a gap).</exception>
    void Add(IReadOnlyList<IndexedEntry> entries);

    /// <summary>Empties the index, for a rebuild.</summary>
    void Reset();

    /// <summary>The index of the entry whose leaf hash is <paramref name="leafHash"/>, if any.</summary>
    ulong? FindByLeafHash(Hash leafHash);

    /// <summary>Indices of entries listing an artefact with this SHA-256 or SM3 digest, ascending, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<ulong> FindByDigest(Hash digest, int limit);
}
