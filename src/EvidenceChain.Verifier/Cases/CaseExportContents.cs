using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Verifier.Cases;

/// <summary>What goes into a case export zip; written by <see cref="CaseExportArchive.WriteAsync"/>.</summary>
/// <remarks>Immutable once built.</remarks>
public sealed class CaseExportContents
{
    /// <summary>The signed manifest note, exactly as signed (its SHA-256 is in the export event).</summary>
    public required string ManifestNote { get; init; }

    /// <summary>The receipt of every item the manifest lists.</summary>
    public required IReadOnlyList<ReceiptContents> ItemReceipts { get; init; }

    /// <summary>The receipt of every event the manifest lists, and of the export event.</summary>
    public required IReadOnlyList<ReceiptContents> EventReceipts { get; init; }

    /// <summary>The log's verifier key (a copy for convenience).</summary>
    public required string LogVerifierKey { get; init; }

    /// <summary>The TSA chain, PEM (a copy for convenience).</summary>
    public required string TsaChainPem { get; init; }

    /// <summary>The case id, for VERIFY.txt.</summary>
    public required string CaseId { get; init; }

    /// <summary>The export event's ledger index, for VERIFY.txt.</summary>
    public required ulong ExportEventIndex { get; init; }

    /// <summary>
    /// The name the zip is saved under, when the requester said so, for the command in VERIFY.txt; null when unknown:
    /// VERIFY.txt then tells the reader to use the name they saved it under, giving <see cref="SuggestedFileName"/>.
    /// </summary>
    public string? FileName { get; init; }

    /// <summary>The name a node suggests for the export of <see cref="CaseId"/>: <c>case-ID.zip</c>.</summary>
    public string SuggestedFileName => $"case-{CaseId}.zip";
}
