using System.Globalization;
using System.Text;

namespace EvidenceChain.Verifier.Cases.Internal;

/// <summary>The text of a case export's <c>VERIFY.txt</c>.</summary>
internal static class CaseExportInstructions
{
    public static string Write(CaseExportContents contents, string manifestSha256)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        var exportReceipt = CaseExportMembers.ReceiptName(CaseExportMembers.EventFolder, contents.ExportEventIndex);

        Line($"EvidenceChain case export: case {contents.CaseId}");
        Line(string.Create(CultureInfo.InvariantCulture, $"{contents.ItemReceipts.Count} item receipt(s) in receipts/, {contents.EventReceipts.Count} event receipt(s) in events/."));
        Line(string.Create(CultureInfo.InvariantCulture, $"The export itself is case event {contents.ExportEventIndex}; its leaf carries manifest-sha256 {manifestSha256}."));
        Line();
        Line("TRUST ANCHORS. trust/ holds copies for convenience only. Obtain the log's verifier key (LOG.vkey) and the TSA's");
        Line("CA certificate (TSA-CA.pem) from a source you trust, and compare them with the copies.");
        Line();
        Line("1. Everything at once, offline:");
        Line();
        Line($"   evidencectl verify-case {contents.FileName} --log-key LOG.vkey --tsa-ca TSA-CA.pem");
        Line();
        Line("   It verifies every receipt (entry, inclusion proof, checkpoint signature, RFC 3161 timestamp), the manifest's");
        Line("   signature, that every listed item and event has a receipt whose leaf hash matches the manifest, that the");
        Line("   events form the case's unbroken history and produce exactly the listed items, and that the export event");
        Line("   carries the manifest's SHA-256. One line per item and event; exit status 0 only if all pass.");
        Line();
        Line("2. Step by step, after unzipping:");
        Line();
        Line("   The manifest's signature (a C2SP signed note by the log's key):");
        Line();
        Line("   evidencectl note verify --key \"$(cat LOG.vkey)\" manifest.note");
        Line();
        Line($"   Its SHA-256 (must print {manifestSha256}):");
        Line();
        Line("   sha256sum manifest.note");
        Line();
        Line("   The export event that fixed it in the ledger (its entry.json has that \"manifest-sha256\"):");
        Line();
        Line($"   evidencectl verify {exportReceipt} --log-key LOG.vkey --tsa-ca TSA-CA.pem");
        Line($"   unzip -p {exportReceipt} entry.json");
        Line();
        Line("   Every other receipt the same way (each has its own VERIFY.txt with the openssl commands):");
        Line();
        Line("   for r in receipts/*.evidence.zip events/*.evidence.zip; do");
        Line("     evidencectl verify \"$r\" --log-key LOG.vkey --tsa-ca TSA-CA.pem || echo \"FAILED: $r\"");
        Line("   done");
        Line();
        Line("   Then compare each \"item INDEX LEAF-HASH ...\" and \"event INDEX LEAF-HASH ...\" line of manifest.note with the");
        Line("   leaf hash in that receipt's VERIFY.txt. docs/formats.md, \"Cases\", describes every line.");
        return text.ToString();
    }
}
