using EvidenceChain.Core.Cases;

namespace EvidenceChain.Verifier.Cases;

/// <summary>
/// The verification of a case export: the export-wide steps (layout, manifest signature and format, the export
/// event, the custody history, the completeness of the receipts) and one report per receipt. Immutable once returned.
/// </summary>
public sealed class CaseExportReport
{
    internal CaseExportReport(VerificationReport export, IReadOnlyList<CaseExportEntryReport> entries, CaseManifest? manifest)
    {
        Export = export;
        Entries = entries;
        Manifest = manifest;
    }

    /// <summary>The export-wide steps.</summary>
    public VerificationReport Export { get; }

    /// <summary>One report per receipt (items first, then events, each by index), and one per listed entry without a receipt.</summary>
    public IReadOnlyList<CaseExportEntryReport> Entries { get; }

    /// <summary>The manifest, once its signature verified and it parsed; otherwise null.</summary>
    public CaseManifest? Manifest { get; }

    /// <summary>True when every export-wide step and every receipt passed, with its trusted time checked.</summary>
    public bool IsValid => Export.IsValid && Entries.Count > 0 && Entries.All(e => e.IsValid);
}
