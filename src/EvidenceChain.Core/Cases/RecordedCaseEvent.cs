namespace EvidenceChain.Core.Cases;

/// <summary>A case event as the ledger holds it: the event, and the index, leaf hash and time of its entry. Immutable.</summary>
/// <param name="Index">The entry's index.</param>
/// <param name="LeafHash">The entry's leaf hash.</param>
/// <param name="Time">The entry's time (the node's clock, UTC).</param>
/// <param name="Event">The event.</param>
public sealed record RecordedCaseEvent(ulong Index, Hash LeafHash, DateTimeOffset Time, CaseEvent Event);
