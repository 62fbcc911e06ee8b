namespace EvidenceChain.Verifier.Cases;

/// <summary>The verification of one receipt in a case export, and of how it matches the manifest. Immutable once returned.</summary>
/// <param name="Member">The receipt's member name, e.g. <c>receipts/entry-3.evidence.zip</c>.</param>
/// <param name="Index">The entry index the member name gives.</param>
/// <param name="IsEvent">True for a case event's receipt, false for an attached item's.</param>
/// <param name="Report">The receipt's steps (as <see cref="Receipts.ReceiptVerifier"/>), then <c>manifest</c>.</param>
public sealed record CaseExportEntryReport(string Member, ulong Index, bool IsEvent, VerificationReport Report)
{
    /// <summary>True when every step passed, none failed, and the trusted time was checked (not skipped).</summary>
    public bool IsValid => Report.IsValid && Report.Steps.Any(s => s.Name == "timestamp" && s.Passed);
}
