namespace EvidenceChain.Core.Cases;

/// <summary>An item in a <see cref="CaseManifest"/>. Immutable.</summary>
/// <param name="Index">The attached entry's index.</param>
/// <param name="LeafHash">Its leaf hash.</param>
/// <param name="AttachEvent">The ledger index of the event that attached it.</param>
/// <param name="AttachedBy">The API key id that attached it.</param>
/// <param name="Artefacts">The artefacts its entry lists, in its order.</param>
public sealed record CaseManifestItem(ulong Index, Hash LeafHash, ulong AttachEvent, string AttachedBy, IReadOnlyList<CaseManifestArtefact> Artefacts);
