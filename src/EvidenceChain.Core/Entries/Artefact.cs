namespace EvidenceChain.Core.Entries;

/// <summary>One artefact listed in a leaf: what it is called and what its bytes hash to. Immutable.</summary>
/// <param name="Name">File name or role (e.g. <c>page.warc</c>), 1 to 1024 UTF-8 bytes.</param>
/// <param name="MediaType">IANA media type, e.g. <c>application/pdf</c>.</param>
/// <param name="Size">Length in bytes, at least 0.</param>
/// <param name="Sha256">SHA-256 of the bytes (always present).</param>
/// <param name="Sm3">SM3 of the bytes, present when the national-crypto profile is on.</param>
public sealed record Artefact(string Name, string MediaType, long Size, Hash Sha256, Hash? Sm3 = null);
