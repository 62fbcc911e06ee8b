using EvidenceChain.Core;
using EvidenceChain.Core.Entries;

namespace EvidenceChain.Ledger;

/// <summary>What an acknowledged append returns: the entry is durable and covered by the checkpoint.</summary>
/// <param name="Index">The entry's index.</param>
/// <param name="LeafHash">Its RFC 6962 leaf hash.</param>
/// <param name="Leaf">The stored leaf bytes.</param>
/// <param name="TreeSize">The size of the checkpoint that first includes it.</param>
/// <param name="SignedCheckpoint">That checkpoint, as a signed note.</param>
/// <param name="Entry">The entry the leaf encodes.</param>
public sealed record AppendResult(ulong Index, Hash LeafHash, ReadOnlyMemory<byte> Leaf, ulong TreeSize, string SignedCheckpoint, LedgerEntry Entry)
{
    /// <summary>The entry as <see cref="EvidenceLedger.GetEntryAsync"/> would read it back.</summary>
    public StoredEntry ToStoredEntry() => new(Index, LeafHash, Leaf, Entry);
}
