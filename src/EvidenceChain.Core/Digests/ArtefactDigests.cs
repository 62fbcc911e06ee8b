namespace EvidenceChain.Core.Digests;

/// <summary>The size and digests of an artefact's bytes.</summary>
/// <param name="Size">Length in bytes.</param>
/// <param name="Sha256">SHA-256 of the bytes.</param>
/// <param name="Sm3">SM3 of the bytes, when the national-crypto profile computed it.</param>
public sealed record ArtefactDigests(long Size, Hash Sha256, Hash? Sm3);
