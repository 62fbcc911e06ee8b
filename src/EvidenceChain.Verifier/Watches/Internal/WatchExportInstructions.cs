using System.Globalization;
using System.Text;
using EvidenceChain.Verifier.Cases;
using EvidenceChain.Verifier.Internal;

namespace EvidenceChain.Verifier.Watches.Internal;

/// <summary>The text of a watch export's <c>VERIFY.txt</c>.</summary>
internal static class WatchExportInstructions
{
    public static string Write(WatchExportContents contents)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        var summary = CaseExportMembers.ReceiptName(WatchExportMembers.SummaryFolder, contents.SummaryReceipt.Index);

        Line($"EvidenceChain watch export: watch {contents.WatchId}");
        Line(string.Create(CultureInfo.InvariantCulture,
            $"timeline.note is the watch's timeline, one line per slot; {summary} is the receipt of the watch-summary entry"));
        Line(string.Create(CultureInfo.InvariantCulture,
            $"(entry {contents.SummaryReceipt.Index}) that fixed it in the ledger; captures/ holds the receipts of the {contents.CaptureReceipts.Count} capture(s) it names."));
        Line();
        ExportInstructions.TrustAndCommand(l => Line(l), "verify-watch", contents.FileName, contents.SuggestedFileName);
        Line();
        Line("   It verifies every receipt (entry, inclusion proof, checkpoint signature, RFC 3161 timestamp), the timeline's");
        Line("   signature, that the summary entry lists timeline.note's SHA-256, and that every slot naming a capture has");
        Line("   that capture's receipt, of this watch and slot, with the HTTP status the timeline gives. It prints the");
        Line("   timeline, one line per slot; exit status 0 only if all pass.");
        Line();
        Line("2. Step by step, in the folder you unzipped this export into:");
        Line();
        Line("   The timeline's signature (a C2SP signed note by the log's key):");
        Line();
        Line("   evidencectl note verify --key LOG.vkey timeline.note");
        Line();
        Line("   Its SHA-256, which the summary entry's entry.json lists as the artefact timeline.note:");
        Line();
        Line("   openssl dgst -sha256 timeline.note");
        Line($"   evidencectl verify {summary} --log-key LOG.vkey --tsa-ca TSA-CA.pem");
        Line();
        Line("   Every capture in captures/ the same way, one command per file; its entry.json has the attributes \"watch\"");
        Line("   and \"watch-slot\" of its line in timeline.note. docs/formats.md §20 describes every line.");
        return text.ToString();
    }
}
