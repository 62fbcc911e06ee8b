namespace EvidenceChain.Ledger.Search;

/// <summary>
/// The port where <see cref="EntrySearch"/> keeps its copy of the ledger's evidence entries for search, and how far it
/// has followed the ledger. Everything in it is derived and can be rebuilt from the ledger and its openings.
/// </summary>
/// <remarks>Implementations must be thread-safe: one writer (the follower) and any number of searches.</remarks>
public interface ISearchStore
{
    /// <summary>Every entry below this index has been looked at (evidence stored, other kinds skipped). 0 when new.</summary>
    ulong Watermark { get; }

    /// <summary>The leaf hash of entry <see cref="Watermark"/> - 1 as the store saw it; null when the watermark is 0.</summary>
    Core.Hash? LastLeafHash { get; }

    /// <summary>Stores <paramref name="records"/> and moves the watermark to <paramref name="watermark"/>, in one write.</summary>
    void Add(IReadOnlyList<SearchRecord> records, ulong watermark, Core.Hash lastLeafHash);

    /// <summary>Forgets everything (before a rebuild).</summary>
    void Reset();

    /// <summary>The records that match <paramref name="query"/>, newest first, at most <see cref="SearchQuery.Limit"/>.</summary>
    IReadOnlyList<SearchRecord> Search(SearchQuery query);
}
