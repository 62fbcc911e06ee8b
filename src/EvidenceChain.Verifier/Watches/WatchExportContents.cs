using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Verifier.Watches;

/// <summary>What goes into a watch export zip; written by <see cref="WatchExportArchive.WriteAsync"/>.</summary>
/// <remarks>Immutable once built.</remarks>
public sealed class WatchExportContents
{
    /// <summary>The watch id, for VERIFY.txt.</summary>
    public required string WatchId { get; init; }

    /// <summary>The signed timeline note, exactly as the summary entry's <c>timeline.note</c> artefact holds it.</summary>
    public required string TimelineNote { get; init; }

    /// <summary>The receipt of the <c>watch-summary</c> entry that fixes the timeline.</summary>
    public required ReceiptContents SummaryReceipt { get; init; }

    /// <summary>The receipt of every capture the timeline names.</summary>
    public required IReadOnlyList<ReceiptContents> CaptureReceipts { get; init; }

    /// <summary>The log's verifier key (a copy for convenience).</summary>
    public required string LogVerifierKey { get; init; }

    /// <summary>The TSA chain, PEM (a copy for convenience).</summary>
    public required string TsaChainPem { get; init; }

    /// <summary>The name the client saves the zip under, for VERIFY.txt's commands; null: <see cref="SuggestedFileName"/>.</summary>
    public string? FileName { get; init; }

    /// <summary>The name the node suggests: <c>watch-ID.zip</c>.</summary>
    public string SuggestedFileName => $"watch-{WatchId}.zip";
}
