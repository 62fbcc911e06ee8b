namespace EvidenceChain.Capture.Warc;

/// <summary>The digest check of one record: each is null when the record carries no such digest. Immutable.</summary>
/// <param name="RecordId">The record checked.</param>
/// <param name="BlockMatches">Whether WARC-Block-Digest matches the block.</param>
/// <param name="PayloadMatches">Whether WARC-Payload-Digest matches the payload.</param>
internal sealed record WarcDigestCheck(string RecordId, bool? BlockMatches, bool? PayloadMatches)
{
    /// <summary>True when every digest present matches and the block digest is present.</summary>
    public bool IsValid => BlockMatches == true && PayloadMatches != false;
}
