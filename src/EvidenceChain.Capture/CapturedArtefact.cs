using EvidenceChain.Core.Digests;

namespace EvidenceChain.Capture;

/// <summary>A file the capture produced, with the digests computed as it was written. Immutable.</summary>
/// <param name="Name">Its name in the entry, e.g. <c>capture.warc</c>.</param>
/// <param name="MediaType">IANA media type.</param>
/// <param name="Path">Where it is, inside the capture's working folder.</param>
/// <param name="Digests">Size, SHA-256 and (national profile) SM3.</param>
public sealed record CapturedArtefact(string Name, string MediaType, string Path, ArtefactDigests Digests);
