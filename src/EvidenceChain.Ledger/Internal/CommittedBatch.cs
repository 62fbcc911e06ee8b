namespace EvidenceChain.Ledger.Internal;

/// <summary>A published batch on its way to the index, with the appends to acknowledge once it is indexed.</summary>
internal sealed record CommittedBatch(IndexedEntry[] Indexed, AppendResult[] Results, PendingAppend[] Waiters);
