using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Ledger;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// What the audit compares of an index record with the ledger: the RFC 6962 leaf hash (SHA-256 of 0x00 and the bytes,
/// through Core's single-message kernel, which costs less a call than .NET's one-shot SHA-256) of the entry's leaf hash
/// followed by its distinct artefact digests in order. Only the audit computes it, of the ledger's entries and of the
/// index's records alike, so it is stored nowhere. Stateless and thread-safe.
/// </summary>
internal static class IndexFingerprint
{
    private const int StackDigests = 31;

    /// <summary>The fingerprint of <paramref name="entry"/>.</summary>
    public static Hash Of(IndexedEntry entry)
    {
        var digests = entry.Digests;
        var input = digests.Count < StackDigests ? stackalloc Hash[StackDigests + 1] : new Hash[digests.Count + 1];
        for (var i = 0; i < digests.Count; i++)
        {
            input[i + 1] = digests[i];
        }

        return Of(entry.LeafHash, input[..(digests.Count + 1)]);
    }

    /// <summary>
    /// The fingerprint of the entry whose leaf hashes to <paramref name="leafHash"/> and lists <paramref name="artefacts"/>:
    /// the same as <see cref="Of(IndexedEntry)"/> of its index record, without the record.
    /// </summary>
    public static Hash Of(Hash leafHash, IReadOnlyList<Artefact> artefacts)
    {
        var count = 0;
        foreach (var a in artefacts)
        {
            count += a.Sm3 is null ? 1 : 2;
        }

        var input = count < StackDigests ? stackalloc Hash[StackDigests + 1] : new Hash[count + 1];
        var at = 1;
        foreach (var a in artefacts)
        {
            input[at++] = a.Sha256;
            if (a.Sm3 is { } sm3)
            {
                input[at++] = sm3;
            }
        }

        return Of(leafHash, input[..at]);
    }

    // input[0] is free for the leaf hash, input[1..] holds the digests in any order and with repeats.
    private static Hash Of(Hash leafHash, Span<Hash> input)
    {
        var digests = input[1..];
        digests.Sort();
        var distinct = digests.IsEmpty ? 0 : 1;
        for (var i = 1; i < digests.Length; i++)
        {
            if (digests[i] != digests[distinct - 1])
            {
                digests[distinct++] = digests[i];
            }
        }

        input[0] = leafHash;
        return Rfc6962.HashLeaf(Hash.AsBytes(input[..(distinct + 1)]));
    }
}
