namespace EvidenceChain.Ledger.Timestamping;

/// <summary>
/// A checkpoint and the RFC 3161 response over its note text (the signed body, without signature lines).
/// Immutable.
/// </summary>
/// <param name="Size">The checkpoint's tree size.</param>
/// <param name="SignedCheckpoint">The checkpoint, as the signed note that was published.</param>
/// <param name="Response">The DER TimeStampResp, status granted.</param>
public sealed record StoredTimestamp(ulong Size, string SignedCheckpoint, byte[] Response);
