using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Core.Digests;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Verifier.Receipts;
using EvidenceChain.Verifier.Timestamps;

namespace EvidenceChain.Web.Verification;

/// <summary>
/// Runs the verification code once on a small receipt built here, in memory, right after the page loads, so that the
/// user's first drop does not pay for the WebAssembly runtime's first pass over it (zip writing and reading, inflate,
/// Ed25519, Merkle proofs, the leaf codec, BouncyCastle's ASN.1 and certificate parsing, the WARC reader). Nothing is
/// fetched and nothing is shown: the result is thrown away.
/// </summary>
/// <remarks>Stateless. The receipt is signed by a throw-away log key with a fixed seed; it proves nothing.</remarks>
internal static class WarmUp
{
    /// <summary>Builds and verifies the warm-up receipt; yields to the browser between the stages.</summary>
    public static async Task RunAsync(IReadOnlyList<TsaCertificate> pinnedCas, CancellationToken cancellationToken)
    {
        var signer = NoteSigner.FromSeed("warm-up.invalid/log", new byte[NoteSigner.SeedSize]);
        var warc = Encoding.ASCII.GetBytes(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000000>\r\n"
            + "Content-Type: application/http; msgtype=response\r\nWARC-Block-Digest: sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA====\r\n"
            + "WARC-Payload-Digest: sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA====\r\nContent-Length: 62\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n\r\n\r\n");
        var listed = ArtefactHasher.Compute(warc, withSm3: true);
        var leaves = new List<byte[]>();
        Hash previous = default;
        for (ulong i = 0; i < 3; i++)
        {
            IReadOnlyList<Artefact> artefacts = i == 1 ? [new Artefact("capture.warc", "application/warc", listed.Size, listed.Sha256, listed.Sm3)] : [];
            var draft = new EntryDraft("webpage", "warm-up", artefacts, new Dictionary<string, string> { ["url"] = "https://warm-up.invalid/" });
            var leaf = LeafCodec.Encode(new LedgerEntry(signer.Name, i, previous, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), draft)); // zip member times start in 1980
            previous = Rfc6962.HashLeaf(leaf);
            leaves.Add(leaf);
        }

        var hashes = leaves.Select(l => Rfc6962.HashLeaf(l)).ToArray();
        var checkpoint = new Checkpoint(signer.Name, 3, MerkleMath.Root(hashes));
        var proof = ProofPlan.Inclusion(1, 3).Select(r => MerkleMath.Root(hashes.AsSpan((int)r.Begin, (int)(r.End - r.Begin)))).ToArray();
        var chain = string.Concat(pinnedCas.Select(c => c.ToPem()));
        using var zip = new MemoryStream();
        await ReceiptArchive.WriteAsync(zip, new ReceiptContents
        {
            Leaf = leaves[1],
            Index = 1,
            ProofHashes = proof,
            SignedCheckpoint = CheckpointNote.Sign(checkpoint, signer),
            TimestampResponse = new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 }, // "granted", without a token: the token check runs and fails
            LogVerifierKey = signer.VerifierKey.ToString(),
            TsaChainPem = chain,
            Artefacts = [new ReceiptArtefact("capture.warc", _ => Task.FromResult<Stream>(new MemoryStream(warc, writable: false)))],
        }, cancellationToken);
        await Task.Yield();
        zip.Position = 0;
        var package = await ReceiptArchive.OpenAsync(zip, cancellationToken: cancellationToken);
        await using (package.ConfigureAwait(false))
        {
            await Task.Yield();
            var trust = new ReceiptTrust { LogKey = signer.VerifierKey, TsaCas = pinnedCas };
            await ReceiptVerifier.VerifyAsync(package.Evidence, trust, cancellationToken);
        }
    }
}
