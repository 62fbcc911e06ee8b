namespace EvidenceChain.Core.Cases;

/// <summary>An event in a <see cref="CaseManifest"/>. Immutable.</summary>
/// <param name="Index">The event entry's index.</param>
/// <param name="LeafHash">Its leaf hash.</param>
/// <param name="Action">Its action.</param>
public sealed record CaseManifestEvent(ulong Index, Hash LeafHash, CaseAction Action);
