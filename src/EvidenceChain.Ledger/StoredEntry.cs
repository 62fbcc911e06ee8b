using EvidenceChain.Core;
using EvidenceChain.Core.Entries;

namespace EvidenceChain.Ledger;

/// <summary>An entry read back from the ledger.</summary>
/// <param name="Index">Its index.</param>
/// <param name="LeafHash">Its leaf hash.</param>
/// <param name="Leaf">The stored leaf bytes, exactly as hashed.</param>
/// <param name="Entry">The parsed leaf.</param>
public sealed record StoredEntry(ulong Index, Hash LeafHash, ReadOnlyMemory<byte> Leaf, LedgerEntry Entry);
