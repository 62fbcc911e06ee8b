namespace EvidenceChain.Ledger.Witnessing;

/// <summary>
/// A published checkpoint with the cosignatures its witnesses returned: the signed note with one cosignature line per
/// witness appended after the log's own signature lines (C2SP signed-note: verifiers ignore lines of keys they do not
/// know). Immutable.
/// </summary>
/// <param name="Size">The checkpoint's tree size.</param>
/// <param name="SignedNote">The log's signed note with the cosignature lines appended.</param>
/// <param name="Witnesses">The names of the witnesses whose cosignatures it carries, in the configured order.</param>
public sealed record CosignedCheckpoint(ulong Size, string SignedNote, IReadOnlyList<string> Witnesses);
