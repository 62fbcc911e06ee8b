namespace EvidenceChain.Ledger.Timestamping;

/// <summary>How timestamping is going. Immutable.</summary>
/// <param name="Source">The authority's name (the built-in TSA or the external URL).</param>
/// <param name="LastStampedSize">The size of the latest stamped checkpoint, if any.</param>
/// <param name="LastSuccess">When the last token was stored.</param>
/// <param name="LastFailure">When the latest attempt failed; null once a later one succeeded.</param>
/// <param name="LastError">Why the latest attempt failed; null once a later one succeeded.</param>
public sealed record TimestampingStatus(
    string Source, ulong? LastStampedSize, DateTimeOffset? LastSuccess, DateTimeOffset? LastFailure, string? LastError)
{
    /// <summary>True unless the latest attempt failed.</summary>
    public bool IsHealthy => LastError is null;
}
