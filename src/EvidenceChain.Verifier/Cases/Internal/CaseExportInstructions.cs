using System.Globalization;
using System.Text;
using EvidenceChain.Verifier.Internal;

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
        ExportInstructions.TrustAndCommand(l => Line(l), "verify-case", contents.FileName, contents.SuggestedFileName);
        Line();
        Line("   It verifies every receipt (entry, inclusion proof, checkpoint signature, RFC 3161 timestamp), the manifest's");
        Line("   signature, that every listed item and event has a receipt whose leaf hash matches the manifest, that the");
        Line("   events form the case's unbroken history and produce exactly the listed items, and that the export event");
        Line("   carries the manifest's SHA-256. One line per item and event; exit status 0 only if all pass.");
        Line();
        Line("2. Step by step, in the folder you unzipped this export into:");
        Line();
        Line("   The manifest's signature (a C2SP signed note by the log's key):");
        Line();
        Line("   evidencectl note verify --key LOG.vkey manifest.note");
        Line();
        Line($"   Its SHA-256 (openssl prints {manifestSha256} after \"= \"):");
        Line();
        Line("   openssl dgst -sha256 manifest.note");
        Line();
        Line("   The export event that fixed it in the ledger; its entry.json (in the receipt, a zip) has that");
        Line("   \"manifest-sha256\":");
        Line();
        Line($"   evidencectl verify {exportReceipt} --log-key LOG.vkey --tsa-ca TSA-CA.pem");
        Line();
        Line("   Every other receipt in receipts/ and events/ the same way, one command per file (each receipt has its own");
        Line("   VERIFY.txt with the openssl commands), e.g.:");
        Line();
        Line($"   evidencectl verify {Example(contents)} --log-key LOG.vkey --tsa-ca TSA-CA.pem");
        Line();
        Line("   Then compare each \"item INDEX LEAF-HASH ...\" and \"event INDEX LEAF-HASH ...\" line of manifest.note with the");
        Line("   leaf hash in that receipt's VERIFY.txt. docs/formats.md, \"Cases\", describes every line.");
        return text.ToString();
    }

    /// <summary>The first item's receipt, or the first event's when the case holds no item.</summary>
    private static string Example(CaseExportContents contents) => contents.ItemReceipts.Count > 0
        ? CaseExportMembers.ReceiptName(CaseExportMembers.ReceiptFolder, contents.ItemReceipts.Min(r => r.Index))
        : CaseExportMembers.ReceiptName(CaseExportMembers.EventFolder, contents.EventReceipts.Min(r => r.Index));
}
