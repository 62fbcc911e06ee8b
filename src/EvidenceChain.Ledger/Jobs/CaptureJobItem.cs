namespace EvidenceChain.Ledger.Jobs;

/// <summary>One URL of a <see cref="CaptureJob"/> and how far it got. Immutable: a change is a new record.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Position">Its place in the job's list, from 0.</param>
/// <param name="Url">The URL as submitted.</param>
/// <param name="State">Pending, running, done or failed.</param>
/// <param name="EntryIndex">The entry the capture became; null while none exists (a URL refused up front never has one).</param>
/// <param name="Reason">Why it failed (the failure reason's name, a colon, the sentence); empty otherwise.</param>
/// <param name="StartedAtSize">
/// The ledger's size when the capture started: after a crash, the entry (if one was made) is at this index or later,
/// tagged with the job and the position.
/// </param>
public sealed record CaptureJobItem(string JobId, int Position, string Url, CaptureItemState State, ulong? EntryIndex, string Reason, ulong StartedAtSize);
