namespace EvidenceChain.Storage;

/// <summary>One record of the checkpoint history file.</summary>
/// <param name="Offset">Byte offset of the record's length prefix.</param>
/// <param name="End">Byte offset just past the record.</param>
/// <param name="Note">The signed checkpoint.</param>
internal sealed record HistoryRecord(long Offset, long End, string Note);
