using System.Globalization;
using System.Security.Cryptography;
using EvidenceChain.Api.V1;
using EvidenceChain.Ledger;
using EvidenceChain.Ledger.Jobs;
using EvidenceChain.Node.Internal;
using EvidenceChain.Node.Jobs;
using EvidenceChain.Verifier.Cases;
using EvidenceChain.Verifier.Receipts;
using EvidenceChain.Verifier.Watches;
using Grpc.Core;

namespace EvidenceChain.Node.Services;

/// <summary>
/// Exports a watch with its receipts (docs/formats.md §20, "Watch export"): takes the summary entry that fixes its
/// timeline (an ended watch's own; for a running one, a new one made for this export), waits for the receipts of it and
/// of every capture the timeline names, and writes the zip to a temporary file deleted when the export is disposed.
/// </summary>
internal sealed class WatchExporter(EvidenceLedger ledger, IBlobStore blobs, NodeJobs jobs, ReceiptBuilder receipts, NodeTimestamping time, LogKeys keys)
{
    /// <summary>At most this many captures go into one export: a verifier reads at most <see cref="CaseExportLimits.MaxReceipts"/> receipts.</summary>
    public static readonly int MaxCaptures = CaseExportLimits.Default.MaxReceipts - 1;

    /// <summary>
    /// Exports <paramref name="watch"/> on behalf of <paramref name="actor"/>; <paramref name="fileName"/> (empty: none)
    /// is the name the client saves the zip under, which VERIFY.txt names.
    /// </summary>
    /// <exception cref="RpcException">INVALID_ARGUMENT for a bad file name; FAILED_PRECONDITION for a watch with too many
    /// captures, or one whose summary is still being appended.</exception>
    public async Task<WatchExportFile> ExportAsync(Ledger.Jobs.Watch watch, string fileName, Auth.Caller actor, CancellationToken cancellationToken)
    {
        CaseExporter.CheckFileName(fileName);
        var captured = jobs.WatchStore.Events(watch.Id).Count(e => e.EntryIndex is not null);
        if (captured > MaxCaptures)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, string.Create(CultureInfo.InvariantCulture,
                $"Watch {watch.Id} has {captured} captures; an export holds at most {MaxCaptures}, the most a verifier reads in one file. Nothing was recorded.")));
        }

        var wasRunning = watch.State == WatchState.Active;
        ulong summaryIndex;
        try
        {
            summaryIndex = await jobs.Watches.ExportSummaryAsync(watch, actor.KeyId, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }

        var summary = await ledger.GetEntryAsync(summaryIndex, cancellationToken);
        var note = await ReadTimelineAsync(summary, cancellationToken);

        // The slots the summary's timeline names, exactly: events recorded after it are not in this export.
        var timeline = WatchTimelineNote.Parse(note[..(note.IndexOf("\n\n", StringComparison.Ordinal) + 1)]);
        var summaryReceipt = await receipts.BuildAsync(summaryIndex, wait: true, cancellationToken, actor);
        var captureReceipts = new List<ReceiptContents>();
        foreach (var index in timeline.Slots.Where(s => s.EntryIndex is not null).Select(s => s.EntryIndex!.Value))
        {
            captureReceipts.Add(await receipts.BuildAsync(index, wait: true, cancellationToken, actor));
        }

        var path = Path.Combine(Path.GetTempPath(), $"evidencechain-{watch.Id}-{Guid.NewGuid():N}.zip");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var contents = new WatchExportContents
            {
                WatchId = watch.Id,
                TimelineNote = note,
                SummaryReceipt = summaryReceipt,
                CaptureReceipts = captureReceipts,
                LogVerifierKey = keys.LogVerifierKey,
                TsaChainPem = time.TrustPem,
                FileName = fileName.Length > 0 ? fileName : null,
            };
            await WatchExportArchive.WriteAsync(file, contents, cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Position = 0;
            var sha256 = await SHA256.HashDataAsync(file, cancellationToken);
            file.Position = 0;
            var info = new WatchExportInfo
            {
                FileName = fileName.Length > 0 ? fileName : contents.SuggestedFileName,
                Size = (ulong)file.Length,
                Sha256 = Convert.ToHexStringLower(sha256),
                SummaryIndex = summaryIndex,
                SummarisedForExport = wasRunning && timeline.Exported is not null,
                Captures = (uint)captureReceipts.Count,
            };
            return new WatchExportFile(info, file);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private async Task<string> ReadTimelineAsync(StoredEntry summary, CancellationToken cancellationToken)
    {
        var artefact = summary.Entry.Draft.Artefacts.FirstOrDefault(a => a.Name == WatchSummaryIntake.ArtefactName)
            ?? throw new InvalidOperationException($"Entry {summary.Index} has no {WatchSummaryIntake.ArtefactName}.");
        var content = blobs.OpenRead(artefact.Sha256)
            ?? throw new InvalidOperationException($"The {WatchSummaryIntake.ArtefactName} of entry {summary.Index} is not in the blob store.");
        await using (content)
        {
            using var reader = new StreamReader(content);
            return await reader.ReadToEndAsync(cancellationToken);
        }
    }
}

/// <summary>A watch export on a temporary file, deleted on dispose.</summary>
internal sealed class WatchExportFile(WatchExportInfo info, FileStream content) : IAsyncDisposable
{
    public WatchExportInfo Info { get; } = info;

    /// <summary>The zip, positioned at its start.</summary>
    public Stream Content { get; } = content;

    public ValueTask DisposeAsync() => content.DisposeAsync();
}
