namespace EvidenceChain.Core.Cases;

/// <summary>An entry attached to a case. Immutable.</summary>
/// <param name="Index">The attached entry's index.</param>
/// <param name="LeafHash">Its leaf hash.</param>
/// <param name="AttachedBy">The API key id that attached it.</param>
/// <param name="AttachedAt">The time of the attach event's entry.</param>
/// <param name="AttachEvent">The ledger index of the attach event.</param>
public sealed record CaseItem(ulong Index, Hash LeafHash, string AttachedBy, DateTimeOffset AttachedAt, ulong AttachEvent);
