namespace EvidenceChain.Verifier.Watches;

/// <summary>The member names of a watch export zip (docs/formats.md §20, "Watch export").</summary>
public static class WatchExportMembers
{
    /// <summary>The watch's timeline, the signed note the summary entry's <c>timeline.note</c> artefact is.</summary>
    public const string Timeline = "timeline.note";

    /// <summary>The folder of the summary entry's receipt, <c>summary/entry-INDEX.evidence.zip</c> (exactly one).</summary>
    public const string SummaryFolder = "summary/";

    /// <summary>The folder of the captures' receipts, <c>captures/entry-INDEX.evidence.zip</c>.</summary>
    public const string CaptureFolder = "captures/";

    /// <summary>A copy of the log's verifier key (convenience only; verifiers pin their own).</summary>
    public const string LogKey = "trust/log.vkey";

    /// <summary>A copy of the TSA certificate and its CA certificate(s), PEM (convenience only).</summary>
    public const string TsaChain = "trust/tsa-chain.pem";

    /// <summary>The exact commands to verify the export.</summary>
    public const string Instructions = "VERIFY.txt";
}
