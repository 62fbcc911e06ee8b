using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Ledger;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// What the audit compares of an index record with the ledger: SHA-256 of the leaf hash followed by the entry's
/// distinct artefact digests in order, taken in one call (the audit takes it of every entry twice). Stateless and
/// thread-safe.
/// </summary>
internal static class IndexFingerprint
{
    /// <summary>The fingerprint of <paramref name="entry"/>.</summary>
    public static Hash Of(IndexedEntry entry)
    {
        var digests = entry.Digests;
        var distinct = digests.Count <= 1 ? digests : digests.Distinct().Order().ToList();
        var length = (distinct.Count + 1) * Hash.Size;
        Span<byte> input = length <= 1024 ? stackalloc byte[length] : new byte[length];
        entry.LeafHash.CopyTo(input);
        for (var i = 0; i < distinct.Count; i++)
        {
            distinct[i].CopyTo(input[((i + 1) * Hash.Size)..]);
        }

        Span<byte> output = stackalloc byte[Hash.Size];
        SHA256.HashData(input, output);
        return new Hash(output);
    }
}
