namespace EvidenceChain.Ledger.Cases;

/// <summary>A case event's entry as <see cref="ICaseStore"/> keeps it: its index and leaf bytes. Immutable.</summary>
/// <param name="Index">The entry's index.</param>
/// <param name="Leaf">Its leaf bytes, exactly as in the ledger.</param>
public sealed record StoredCaseEvent(ulong Index, ReadOnlyMemory<byte> Leaf);
