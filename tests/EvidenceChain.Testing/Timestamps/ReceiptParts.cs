using System.Globalization;
using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Core.Digests;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Testing.Timestamps;

/// <summary>
/// The parts of a genuine receipt: a five-entry log signed with a fixed-seed key, entry 3 (two artefacts, the second
/// with SM3), its inclusion proof, the signed checkpoint and a real TimeStampResp over the checkpoint's note text.
/// </summary>
/// <param name="Leaf">Entry 3's leaf bytes.</param>
/// <param name="Index">3.</param>
/// <param name="Proof">The inclusion path of entry 3 in the tree of size 5.</param>
/// <param name="SignedCheckpoint">The signed checkpoint at size 5.</param>
/// <param name="CheckpointText">Its note text (what the token is over).</param>
/// <param name="TimestampResponse">The DER TimeStampResp over <paramref name="CheckpointText"/>.</param>
/// <param name="Signer">The log key.</param>
/// <param name="Artefacts">The artefacts of entry 3: name to bytes.</param>
public sealed record ReceiptParts(
    byte[] Leaf,
    ulong Index,
    Hash[] Proof,
    string SignedCheckpoint,
    string CheckpointText,
    byte[] TimestampResponse,
    NoteSigner Signer,
    IReadOnlyDictionary<string, byte[]> Artefacts)
{
    /// <summary>The fixed-seed log key of <see cref="Create"/>.</summary>
    public static NoteSigner LogKey(string origin = "receipt.test/log", byte seed = 7) =>
        NoteSigner.FromSeed(origin, Enumerable.Repeat(seed, NoteSigner.SeedSize).ToArray());

    /// <summary>Builds the log and asks <paramref name="tsa"/> for the timestamp.</summary>
    public static ReceiptParts Create(OpenSslTsa tsa, NoteSigner? signer = null, string digest = "sha256", bool certReq = true)
    {
        signer ??= LogKey();
        var artefacts = new Dictionary<string, byte[]>
        {
            ["hello.txt"] = Encoding.UTF8.GetBytes("hello world\n"),
            ["page.warc"] = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("WARC/1.1 record\n", 5000))),
        };
        var leaves = new List<byte[]>();
        Hash prev = default;
        for (ulong i = 0; i < 5; i++)
        {
            IReadOnlyList<Artefact> listed = i == 3
                ? [Listed("hello.txt", artefacts["hello.txt"], sm3: false), Listed("page.warc", artefacts["page.warc"], sm3: true)]
                : [];
            var draft = new EntryDraft("file", "alice", listed, new Dictionary<string, string> { ["n"] = i.ToString(CultureInfo.InvariantCulture) });
            var leaf = LeafCodec.Encode(new LedgerEntry(signer.Name, i, prev, DateTimeOffset.UnixEpoch.AddDays(20000), draft));
            prev = Rfc6962.HashLeaf(leaf);
            leaves.Add(leaf);
        }

        var hashes = leaves.Select(l => Rfc6962.HashLeaf(l)).ToArray();
        var proof = ProofPlan.Inclusion(3, 5)
            .Select(r => MerkleMath.Root(hashes.AsSpan((int)r.Begin, (int)(r.End - r.Begin))))
            .ToArray();
        var checkpoint = new Checkpoint(signer.Name, 5, MerkleMath.Root(hashes));
        var signed = CheckpointNote.Sign(checkpoint, signer);
        var text = checkpoint.ToNoteText();
        return new ReceiptParts(leaves[3], 3, proof, signed, text, tsa.Timestamp(Encoding.UTF8.GetBytes(text), digest, certReq), signer, artefacts);
    }

    private static Artefact Listed(string name, byte[] bytes, bool sm3)
    {
        var digests = ArtefactHasher.Compute(bytes, sm3);
        return new Artefact(name, "text/plain", digests.Size, digests.Sha256, digests.Sm3);
    }
}
