namespace EvidenceChain.Node.Jobs;

/// <summary>What one scheduled capture came to. Immutable.</summary>
/// <param name="EntryIndex">Its webpage entry; null when the URL was refused up front (nothing recorded).</param>
/// <param name="Complete">The capture completed (whatever the HTTP status).</param>
/// <param name="HttpStatus">The last response's HTTP status; 0 when none.</param>
/// <param name="PayloadSha256">The payload's SHA-256 in hex; empty when there is no payload.</param>
/// <param name="Reason">When not complete: the reason's name, ": ", and the sentence.</param>
internal sealed record CaptureOutcome(ulong? EntryIndex, bool Complete, int HttpStatus, string PayloadSha256, string Reason);
