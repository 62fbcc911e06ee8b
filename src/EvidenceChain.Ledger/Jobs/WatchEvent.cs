namespace EvidenceChain.Ledger.Jobs;

/// <summary>One slot of a watch's timeline. Immutable.</summary>
/// <param name="WatchId">The watch.</param>
/// <param name="Slot">The slot number, from 0.</param>
/// <param name="SlotTime">When the slot was due.</param>
/// <param name="Kind">What it saw.</param>
/// <param name="EntryIndex">The capture's entry; null for a missed slot (or one still running).</param>
/// <param name="HttpStatus">The last response's HTTP status; 0 when there was none.</param>
/// <param name="PayloadSha256">The payload's SHA-256 in hex when the page answered; empty otherwise.</param>
/// <param name="Reason">For gone and missed: why; empty otherwise.</param>
/// <param name="StartedAtSize">The ledger's size when the capture started (to find its entry after a crash).</param>
public sealed record WatchEvent(
    string WatchId, long Slot, DateTimeOffset SlotTime, WatchEventKind Kind, ulong? EntryIndex, int HttpStatus, string PayloadSha256, string Reason, ulong StartedAtSize);
