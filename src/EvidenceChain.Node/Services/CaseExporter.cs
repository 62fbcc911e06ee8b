using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Api.V1;
using EvidenceChain.Core;
using EvidenceChain.Core.Cases;
using EvidenceChain.Ledger;
using EvidenceChain.Node.Internal;
using EvidenceChain.Verifier.Cases;
using EvidenceChain.Verifier.Receipts;
using Grpc.Core;

namespace EvidenceChain.Node.Services;

/// <summary>
/// Exports a case (docs/formats.md, "Case export"): signs the manifest of the case as it is, records the export as a
/// case event carrying the manifest's SHA-256, waits for the receipts (the export event's timestamp included) and
/// writes the zip to a temporary file that is deleted when the returned export is disposed.
/// </summary>
internal sealed class CaseExporter(EvidenceLedger ledger, NodeCases cases, ReceiptBuilder receipts, NodeTimestamping time, LogKeys keys)
{
    /// <summary>The longest file name a client may give, in UTF-8 bytes.</summary>
    public const int MaxFileNameBytes = 255;

    /// <summary>
    /// Exports case <paramref name="caseId"/> on behalf of <paramref name="actor"/>; <paramref name="fileName"/> (empty:
    /// none) is the name the client saves the zip under, which VERIFY.txt names. Each receipt carries the openings of
    /// its entry's committed fields that <paramref name="actor"/> may see (case managers and admins: all).
    /// </summary>
    /// <exception cref="Ledger.Cases.CaseException">No such case, or a malformed id.</exception>
    /// <exception cref="RpcException">INVALID_ARGUMENT: <paramref name="fileName"/> is not a plain file name.</exception>
    public async Task<CaseExportFile> ExportAsync(string caseId, string fileName, Auth.Caller actor, CancellationToken cancellationToken)
    {
        CheckFileName(fileName);
        string? note = null;
        CaseManifest? manifest = null;
        var (_, exportEvent) = await cases.Book.ExportAsync(caseId, actor.KeyId, async (state, size, ct) =>
        {
            manifest = await ManifestAsync(state, size, ct);
            note = cases.SignManifest(manifest.Encode());
            return new Hash(SHA256.HashData(Encoding.UTF8.GetBytes(note)));
        }, cancellationToken);

        // Every receipt waits for a timestamp covering its entry; the earlier ones are covered already.
        var itemReceipts = new List<ReceiptContents>();
        foreach (var item in manifest!.Items)
        {
            itemReceipts.Add(await receipts.BuildAsync(item.Index, wait: true, cancellationToken, actor));
        }

        var eventReceipts = new List<ReceiptContents>();
        foreach (var e in manifest.Events.Select(e => e.Index).Append(exportEvent.Index))
        {
            eventReceipts.Add(await receipts.BuildAsync(e, wait: true, cancellationToken, actor));
        }

        var path = Path.Combine(Path.GetTempPath(), $"evidencechain-{caseId}-{Guid.NewGuid():N}.zip");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await CaseExportArchive.WriteAsync(file, new CaseExportContents
            {
                ManifestNote = note!,
                ItemReceipts = itemReceipts,
                EventReceipts = eventReceipts,
                LogVerifierKey = keys.LogVerifierKey,
                TsaChainPem = time.TrustPem,
                CaseId = caseId,
                ExportEventIndex = exportEvent.Index,
                FileName = fileName.Length > 0 ? fileName : null,
            }, cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Position = 0;
            var sha256 = await SHA256.HashDataAsync(file, cancellationToken);
            file.Position = 0;
            var info = new CaseExportInfo
            {
                FileName = fileName.Length > 0 ? fileName : $"case-{caseId}.zip",
                Size = (ulong)file.Length,
                Sha256 = Convert.ToHexStringLower(sha256),
                ManifestSha256 = exportEvent.Event.ManifestSha256!.Value.ToString(),
                Event = CaseWire.ToProto(exportEvent),
            };
            return new CaseExportFile(info, file);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>Refuses, before anything is recorded, a file name that is not a plain name without folders.</summary>
    internal static void CheckFileName(string fileName)
    {
        string? problem = fileName switch
        {
            "" => null,
            "." or ".." => "is not a file name",
            _ when Encoding.UTF8.GetByteCount(fileName) > MaxFileNameBytes => $"is longer than {MaxFileNameBytes} UTF-8 bytes",
            _ when fileName.Any(c => c is '/' or '\\' || char.IsControl(c)) => "holds a folder separator or a control character; give the name alone",
            _ => null,
        };
        if (problem is not null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"file_name \"{Printable(fileName)}\" {problem}."));
        }
    }

    private static string Printable(string text)
    {
        var shown = new string([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 64 ? shown + "..." : shown;
    }

    private async Task<CaseManifest> ManifestAsync(CaseState state, ulong size, CancellationToken cancellationToken)
    {
        var items = new List<CaseManifestItem>();
        foreach (var item in state.Items)
        {
            var entry = await ledger.GetEntryAsync(item.Index, cancellationToken);
            items.Add(new CaseManifestItem(item.Index, item.LeafHash, item.AttachEvent, item.AttachedBy, [.. entry.Entry.Draft.Artefacts.Select(CaseManifestArtefact.From)]));
        }

        return new CaseManifest
        {
            Origin = ledger.Origin,
            CaseId = state.Id,
            Title = state.Title,
            Reference = state.Reference,
            Parties = state.Parties,
            Status = state.Status,
            LedgerSize = size,
            Items = items,
            Events = [.. state.Events.Select(e => new CaseManifestEvent(e.Index, e.LeafHash, e.Event.Action))],
        };
    }
}

/// <summary>A case export on a temporary file, deleted on dispose.</summary>
internal sealed class CaseExportFile(CaseExportInfo info, FileStream content) : IAsyncDisposable
{
    public CaseExportInfo Info { get; } = info;

    /// <summary>The zip, positioned at its start.</summary>
    public Stream Content { get; } = content;

    public ValueTask DisposeAsync() => content.DisposeAsync();
}
