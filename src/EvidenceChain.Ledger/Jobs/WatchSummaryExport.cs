namespace EvidenceChain.Ledger.Jobs;

/// <summary>A summary made for an export of a running watch: when, and by which key (docs/formats.md §20, "Watch export").</summary>
/// <param name="Time">The time of the export.</param>
/// <param name="By">The exporting key's id.</param>
public sealed record WatchSummaryExport(DateTimeOffset Time, string By);
