using System.Globalization;
using System.Text;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Proofs;

namespace EvidenceChain.Verifier.Receipts.Internal;

/// <summary>The text of a receipt's <c>VERIFY.txt</c>: what the receipt claims, and the exact commands that check it.</summary>
internal static class VerifyInstructions
{
    public static string Write(ReceiptContents contents, LedgerEntry entry, TlogProof proof)
    {
        var checkpoint = Checkpoint.Parse(proof.CheckpointText);
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line("EvidenceChain receipt");
        Line(string.Create(CultureInfo.InvariantCulture, $"Entry {entry.Index} of the log {entry.Origin}, recorded by the node at {entry.Time:yyyy-MM-ddTHH:mm:ss.fffZ} (the node's own clock)."));
        Line($"Leaf hash: {Rfc6962.HashLeaf(contents.Leaf.Span)}");
        Line(string.Create(CultureInfo.InvariantCulture, $"Checkpoint: tree size {checkpoint.Size}, root {checkpoint.Root.ToBase64()} (base64)."));
        Line("The trusted time is the genTime of the RFC 3161 token in checkpoint.tsr, over checkpoint.txt.");
        Line();
        Line("TRUST ANCHORS. The files in trust/ are copies for convenience and prove nothing by themselves: anyone who");
        Line("forges a receipt can put their own keys there. Obtain the log's verifier key and the TSA's CA certificate");
        Line("from a source you trust (the log operator's publication, an earlier record) and use them as LOG.vkey and");
        Line("TSA-CA.pem below. Compare them with trust/log.vkey and the last certificate of trust/tsa-chain.pem.");
        Line();
        Line("1. Everything at once, offline (evidencectl):");
        Line();
        Line($"   evidencectl verify {contents.FileName} --log-key LOG.vkey --tsa-ca TSA-CA.pem");
        Line();
        Line("   It checks the entry, the inclusion proof, the checkpoint signature under LOG.vkey, the timestamp under");
        Line("   TSA-CA.pem and the artefacts in artefacts/ (add --artefact FILE for copies kept elsewhere), one line per step.");
        Line();
        Line("2. With standard tools, after unzipping:");
        Line();
        Line("   The trusted time (prints \"Verification: OK\"), and the token's contents (Time stamp, Serial number, Policy OID):");
        Line();
        Line("   openssl ts -verify -data checkpoint.txt -in checkpoint.tsr -CAfile TSA-CA.pem -untrusted trust/tsa-chain.pem");
        Line("   openssl ts -reply -in checkpoint.tsr -text");
        Line();
        Line("   The checkpoint's signature (the proof's lines after its first empty line are the signed checkpoint;");
        Line("   checkpoint.txt must equal that checkpoint's text, the lines before its own empty line):");
        Line();
        Line("   sed '1,/^$/d' proof.tlog-proof > checkpoint.note");
        Line("   evidencectl note verify --key \"$(cat LOG.vkey)\" checkpoint.note");
        Line("   sed '/^$/,$d' checkpoint.note | cmp - checkpoint.txt && echo same");
        Line();
        Line(string.Create(CultureInfo.InvariantCulture, $"   The leaf hash (must print {Rfc6962.HashLeaf(contents.Leaf.Span)}):"));
        Line();
        Line("   (printf '\\000'; cat entry.json) | sha256sum");
        Line();
        Line("   The inclusion of that leaf hash under the checkpoint's root: docs/formats.md, \"Inclusion proof\", or:");
        Line();
        Line(string.Create(CultureInfo.InvariantCulture, $"   evidencectl verify proof.tlog-proof --entry entry.json --log-key LOG.vkey --tsr checkpoint.tsr --tsa-ca TSA-CA.pem"));
        if (entry.Draft.Artefacts.Count > 0)
        {
            Line();
            Line("3. The artefacts: each file's digests must equal those the entry lists.");
            foreach (var artefact in entry.Draft.Artefacts)
            {
                var file = ReceiptArchive.IsSafeArtefactName(artefact.Name) ? ShellQuote($"artefacts/{artefact.Name}") : "FILE";
                var included = contents.Artefacts.Any(a => string.Equals(a.Name, artefact.Name, StringComparison.Ordinal))
                    ? "included"
                    : "not included; use your copy";
                Line();
                Line(string.Create(CultureInfo.InvariantCulture, $"   {artefact.Name} ({artefact.MediaType}, {artefact.Size} bytes, {included}):"));
                Line($"   sha256sum {file}            # {artefact.Sha256}");
                if (artefact.Sm3 is { } sm3)
                {
                    Line($"   openssl dgst -sm3 {file}    # {sm3}");
                }
            }
        }

        if (contents.Sm2VerifierKey is not null)
        {
            Line();
            Line("National profile: the checkpoint also carries an SM2 signature line; trust/log-sm2.vkey is a copy of its");
            Line("key (docs/formats.md, \"SM2 signature line\").");
        }

        return text.ToString();
    }

    /// <summary>A POSIX shell single-quoted word.</summary>
    private static string ShellQuote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
