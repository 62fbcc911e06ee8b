using EvidenceChain.Core;

namespace EvidenceChain.Ledger;

/// <summary>What the index records of one entry.</summary>
/// <param name="Index">Entry index.</param>
/// <param name="LeafHash">RFC 6962 leaf hash.</param>
/// <param name="Digests">The SHA-256 and SM3 digests of the entry's artefacts.</param>
public sealed record IndexedEntry(ulong Index, Hash LeafHash, IReadOnlyList<Hash> Digests)
{
    /// <summary>The index record of a stored leaf.</summary>
    public static IndexedEntry FromLeaf(ulong index, Hash leafHash, Core.Entries.LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var digests = new List<Hash>(entry.Draft.Artefacts.Count * 2);
        foreach (var a in entry.Draft.Artefacts)
        {
            digests.Add(a.Sha256);
            if (a.Sm3 is { } sm3)
            {
                digests.Add(sm3);
            }
        }

        return new IndexedEntry(index, leafHash, digests);
    }
}
