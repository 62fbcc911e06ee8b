using System.IO.Compression;
using System.Text;
using EvidenceChain.Verifier.Cases;
using EvidenceChain.Verifier.Receipts;
using EvidenceChain.Verifier.Watches.Internal;

namespace EvidenceChain.Verifier.Watches;

/// <summary>
/// Writes a watch export: one zip with the signed timeline, the receipt of the <c>watch-summary</c> entry that fixes it
/// and the receipt of every capture it names, each a nested <c>.evidence.zip</c> (so every receipt stays the file
/// <c>evidencectl verify</c> expects), copies of the trust anchors and VERIFY.txt (docs/formats.md §20, "Watch export").
/// <see cref="WatchExportVerifier"/> reads it.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class WatchExportArchive
{
    /// <summary>Writes the export to <paramref name="destination"/> (need not be seekable; left open).</summary>
    /// <exception cref="ArgumentException">A receipt is not consistent (<see cref="ReceiptArchive.WriteAsync"/>), or one is given twice.</exception>
    public static async Task WriteAsync(Stream destination, WatchExportContents contents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(contents);
        var archive = await ZipArchive.CreateAsync(destination, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8, cancellationToken);
        await using (archive.ConfigureAwait(false))
        {
            await AddAsync(archive, WatchExportMembers.Timeline, Encoding.UTF8.GetBytes(contents.TimelineNote), CompressionLevel.Optimal, cancellationToken);
            await AddReceiptAsync(archive, CaseExportMembers.ReceiptName(WatchExportMembers.SummaryFolder, contents.SummaryReceipt.Index), contents.SummaryReceipt, cancellationToken);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var receipt in contents.CaptureReceipts.OrderBy(r => r.Index))
            {
                var name = CaseExportMembers.ReceiptName(WatchExportMembers.CaptureFolder, receipt.Index);
                if (!names.Add(name))
                {
                    throw new ArgumentException($"The receipt {name} is given twice.", nameof(contents));
                }

                await AddReceiptAsync(archive, name, receipt, cancellationToken);
            }

            await AddAsync(archive, WatchExportMembers.LogKey, Encoding.UTF8.GetBytes(contents.LogVerifierKey.Trim() + "\n"), CompressionLevel.Optimal, cancellationToken);
            await AddAsync(archive, WatchExportMembers.TsaChain, Encoding.UTF8.GetBytes(contents.TsaChainPem), CompressionLevel.Optimal, cancellationToken);
            await AddAsync(archive, WatchExportMembers.Instructions, Encoding.UTF8.GetBytes(WatchExportInstructions.Write(contents)), CompressionLevel.Optimal, cancellationToken);
        }
    }

    private static async Task AddReceiptAsync(ZipArchive archive, string name, ReceiptContents receipt, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await ReceiptArchive.WriteAsync(buffer, receipt, cancellationToken);
        await AddAsync(archive, name, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), CompressionLevel.NoCompression, cancellationToken);
    }

    private static async Task AddAsync(ZipArchive archive, string name, ReadOnlyMemory<byte> bytes, CompressionLevel level, CancellationToken cancellationToken)
    {
        var member = archive.CreateEntry(name, level);
        var output = await member.OpenAsync(cancellationToken);
        await using (output.ConfigureAwait(false))
        {
            await output.WriteAsync(bytes, cancellationToken);
        }
    }
}
