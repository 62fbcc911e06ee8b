using System.Globalization;
using System.Text;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Proofs;
using EvidenceChain.Verifier.Internal;

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
        Line("Every command below runs the same in cmd, PowerShell and a POSIX shell, in the folder named in each step.");
        Line();
        var named = CommandWord.TryWrite(contents.FileName, out var word);
        Line("1. Everything at once, offline (evidencectl), in the folder where you saved this zip (give the name you");
        Line("   saved it under if it is not the one below):");
        Line();
        Line($"   evidencectl verify {(named ? word : "FILE.evidence.zip")} --log-key LOG.vkey --tsa-ca TSA-CA.pem");

        Line();
        Line("   It checks the entry, the inclusion proof, the checkpoint signature under LOG.vkey, the timestamp under");
        Line("   TSA-CA.pem and the artefacts in artefacts/ (add --artefact FILE for copies kept elsewhere), one line per step.");
        if (entry.Draft.Artefacts.Any(a => string.Equals(a.MediaType, "application/warc", StringComparison.OrdinalIgnoreCase)))
        {
            Line("   For this web capture it also checks every record digest of the WARC (step \"warc records\") when the WARC");
            Line("   is included or given with --artefact.");
        }

        if (contents.Disclosed is not null)
        {
            Line("   It checks disclosed.json too (step \"disclosed\"): see DISCLOSED FIELDS below.");
        }

        Line("   With a witness policy (C2SP tlog-policy: the witnesses you trust and how many must agree), add");
        Line("   --policy POLICY.txt: step \"witnesses\" then passes only when enough of them cosigned this checkpoint, so");
        Line("   the log could not have shown you a history it hid from them. Without it the step is skipped.");
        Line();
        Line("2. Step by step, in the folder you unzipped this receipt into:");
        Line();
        Line("   The trusted time (prints \"Verification: OK\"), and the token's contents (Time stamp, Serial number, Policy OID):");
        Line();
        Line("   openssl ts -verify -data checkpoint.txt -in checkpoint.tsr -CAfile TSA-CA.pem -untrusted trust/tsa-chain.pem");
        Line("   openssl ts -reply -in checkpoint.tsr -text");
        Line();
        Line("   OpenSSL 3 may first warn that the certificate from trust/tsa-chain.pem \"is not a CA cert\": that is the");
        Line("   TSA's own certificate, which -untrusted offers for building the chain; the warning does not fail anything.");
        Line();
        Line("   The signed checkpoint is the part of proof.tlog-proof after its first empty line, and checkpoint.txt must be");
        Line("   its text (the lines before the signatures). The leaf hash is the SHA-256 of one zero byte followed by the");
        Line("   bytes of entry.json:");
        Line();
        Line($"      {Rfc6962.HashLeaf(contents.Leaf.Span)}");
        Line();
        Line("   The proof's audit path leads from it to the checkpoint's root (docs/formats.md, \"Inclusion proof\"). This");
        Line("   checks all of that, and the token again:");
        Line();
        Line("   evidencectl verify proof.tlog-proof --entry entry.json --log-key LOG.vkey --tsr checkpoint.tsr --tsa-ca TSA-CA.pem");
        if (entry.Draft.Artefacts.Count > 0)
        {
            Line();
            Line("3. The artefacts: each file's digests must equal those the entry lists (openssl prints them after \"= \").");
            foreach (var artefact in entry.Draft.Artefacts)
            {
                var isIncluded = contents.Artefacts.Any(a => string.Equals(a.Name, artefact.Name, StringComparison.Ordinal));
                var path = isIncluded ? $"artefacts/{artefact.Name}" : artefact.Name;
                var file = ReceiptArchive.IsSafeArtefactName(artefact.Name) && CommandWord.TryWrite(path, out var quoted) ? quoted : "FILE";
                var included = isIncluded ? "included" : "not included; use your copy";
                Line();
                Line(string.Create(CultureInfo.InvariantCulture, $"   {artefact.Name} ({artefact.MediaType}, {artefact.Size} bytes, {included}):"));
                Line($"   openssl dgst -sha256 {file}");
                Line($"      {artefact.Sha256}");
                if (artefact.Sm3 is { } sm3)
                {
                    Line($"   openssl dgst -sm3 {file}");
                    Line($"      {sm3}");
                }
            }
        }

        if (contents.Disclosed is { } disclosed)
        {
            var fields = string.Join(", ", Disclosure.Parse(disclosed.Span).Openings.Select(o => o.Field));
            var algorithm = entry.Draft.Commitments.Values.Any(c => c.Algorithm == CommitmentAlgorithm.Sm3) ? "SM3" : "SHA-256";
            Line();
            Line("DISCLOSED FIELDS. disclosed.json opens these committed fields of the entry:");
            Line();
            Line($"   {fields}");
            Line();
            Line("The public log holds only a salted hash of each (its commitment); the clear values and salts are in");
            Line("disclosed.json, so handle this receipt like the evidence itself. evidencectl verify checks each opening");
            Line("against the entry's commitment (step \"disclosed\", which lists the values). By hand: the " + algorithm + " of the bytes");
            Line("\"evidencechain/commit/v1\", 0x00, the field name, 0x00, the 32 salt bytes and the value must equal the entry's");
            Line("hex for that field (docs/formats.md, \"Committed fields\"). Fields the entry commits but disclosed.json does");
            Line("not open stay hidden.");
        }

        if (contents.Sm2VerifierKey is not null)
        {
            Line();
            Line("National profile: the checkpoint also carries an SM2 signature line; trust/log-sm2.vkey is a copy of its");
            Line("key (docs/formats.md, \"SM2 signature line\").");
        }

        return text.ToString();
    }
}
