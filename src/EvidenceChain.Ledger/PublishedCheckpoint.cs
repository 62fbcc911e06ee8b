using EvidenceChain.Core;

namespace EvidenceChain.Ledger;

/// <summary>A published checkpoint. Immutable.</summary>
/// <param name="Size">Tree size.</param>
/// <param name="Root">RFC 6962 root of the first <paramref name="Size"/> leaves.</param>
/// <param name="SignedNote">The C2SP signed note, verbatim.</param>
public sealed record PublishedCheckpoint(ulong Size, Hash Root, string SignedNote);
