namespace EvidenceChain.Verifier.Watches;

/// <summary>The verification of one receipt in a watch export, and of how it matches the timeline. Immutable once returned.</summary>
/// <param name="Member">The receipt's member name, e.g. <c>captures/entry-3.evidence.zip</c>.</param>
/// <param name="Index">The entry index the member name gives.</param>
/// <param name="IsSummary">True for the <c>watch-summary</c> entry's receipt, false for a capture's.</param>
/// <param name="Slot">The timeline's line for this capture, when it names it.</param>
/// <param name="Report">The receipt's steps (as <see cref="Receipts.ReceiptVerifier"/>), then <c>timeline</c>.</param>
public sealed record WatchExportEntryReport(string Member, ulong Index, bool IsSummary, WatchSlotLine? Slot, VerificationReport Report)
{
    /// <summary>True when every step passed, none failed, and the trusted time was checked (not skipped).</summary>
    public bool IsValid => Report.IsValid && Report.Steps.Any(s => s.Name == "timestamp" && s.Passed);
}

/// <summary>
/// The verification of a watch export: the export-wide steps (layout, the timeline's signature and format, the summary
/// entry, the completeness of the captures) and one report per receipt. Immutable once returned.
/// </summary>
public sealed class WatchExportReport
{
    internal WatchExportReport(VerificationReport export, IReadOnlyList<WatchExportEntryReport> entries, WatchTimelineNote? timeline)
    {
        Export = export;
        Entries = entries;
        Timeline = timeline;
    }

    /// <summary>The export-wide steps.</summary>
    public VerificationReport Export { get; }

    /// <summary>One report per receipt (the summary first, then the captures by index), and one per named capture without a receipt.</summary>
    public IReadOnlyList<WatchExportEntryReport> Entries { get; }

    /// <summary>The timeline, once its signature verified and it parsed; otherwise null.</summary>
    public WatchTimelineNote? Timeline { get; }

    /// <summary>True when every export-wide step and every receipt passed, with its trusted time checked.</summary>
    public bool IsValid => Export.IsValid && Entries.Count > 0 && Entries.All(e => e.IsValid);
}
