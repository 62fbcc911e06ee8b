namespace EvidenceChain.Ledger.Search;

/// <summary>
/// A search over the search store: every condition given must hold; results newest first (descending index), all below
/// <see cref="Before"/>. Immutable.
/// </summary>
public sealed record SearchQuery
{
    /// <summary>Only entries this key submitted; null for all.</summary>
    public string? Submitter { get; init; }

    /// <summary>Only entries of this kind; null for all.</summary>
    public string? Kind { get; init; }

    /// <summary>Text that the title, file name or URL contains, compared case-insensitively (invariant culture); null for any.</summary>
    public string? Text { get; init; }

    /// <summary>Only entries at or after this time; null for no bound.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only entries before this time; null for no bound.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only entries with an artefact of this SHA-256 or SM3 digest (<see cref="EntrySearch"/> looks them up); null for any.</summary>
    public Core.Hash? Digest { get; init; }

    /// <summary>Only these entries (the result of a digest look-up); null for no such restriction.</summary>
    public IReadOnlyCollection<ulong>? Only { get; init; }

    /// <summary>Only entries with a lower index (the paging cursor); <see cref="ulong.MaxValue"/> for the first page.</summary>
    public ulong Before { get; init; } = ulong.MaxValue;

    /// <summary>At most this many results (at least 1).</summary>
    public int Limit { get; init; } = 50;
}
