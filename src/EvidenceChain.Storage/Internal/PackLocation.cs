namespace EvidenceChain.Storage.Internal;

/// <summary>Where a packed blob's content is: pack number, offset of the content (after its record header), length.</summary>
internal readonly record struct PackLocation(int Pack, long Offset, int Length);
