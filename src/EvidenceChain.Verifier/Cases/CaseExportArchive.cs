using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Verifier.Cases.Internal;
using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Verifier.Cases;

/// <summary>
/// Writes a case export: one zip with the signed manifest, each item's and each event's receipt as a nested
/// <c>.evidence.zip</c> (so every receipt stays the file <c>evidencectl verify</c> and its own VERIFY.txt expect),
/// copies of the trust anchors and VERIFY.txt (docs/formats.md, "Case export"). <see cref="CaseExportVerifier"/> reads it.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class CaseExportArchive
{
    /// <summary>Writes the export to <paramref name="destination"/> (need not be seekable; left open).</summary>
    /// <exception cref="ArgumentException">A receipt is not consistent (<see cref="ReceiptArchive.WriteAsync"/>), or one is given twice.</exception>
    public static async Task WriteAsync(Stream destination, CaseExportContents contents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(contents);
        var archive = await ZipArchive.CreateAsync(destination, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8, cancellationToken);
        await using (archive.ConfigureAwait(false))
        {
            var manifest = Encoding.UTF8.GetBytes(contents.ManifestNote);
            await AddAsync(archive, CaseExportMembers.Manifest, manifest, CompressionLevel.Optimal, cancellationToken);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (folder, receipts) in new[] { (CaseExportMembers.ReceiptFolder, contents.ItemReceipts), (CaseExportMembers.EventFolder, contents.EventReceipts) })
            {
                foreach (var receipt in receipts.OrderBy(r => r.Index))
                {
                    var name = CaseExportMembers.ReceiptName(folder, receipt.Index);
                    if (!names.Add(name))
                    {
                        throw new ArgumentException($"The receipt {name} is given twice.", nameof(contents));
                    }

                    using var buffer = new MemoryStream();
                    await ReceiptArchive.WriteAsync(buffer, receipt, cancellationToken);
                    await AddAsync(archive, name, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), CompressionLevel.NoCompression, cancellationToken);
                }
            }

            await AddAsync(archive, CaseExportMembers.LogKey, Encoding.UTF8.GetBytes(contents.LogVerifierKey.Trim() + "\n"), CompressionLevel.Optimal, cancellationToken);
            await AddAsync(archive, CaseExportMembers.TsaChain, Encoding.UTF8.GetBytes(contents.TsaChainPem), CompressionLevel.Optimal, cancellationToken);
            var instructions = CaseExportInstructions.Write(contents, Convert.ToHexStringLower(SHA256.HashData(manifest)));
            await AddAsync(archive, CaseExportMembers.Instructions, Encoding.UTF8.GetBytes(instructions), CompressionLevel.Optimal, cancellationToken);
        }
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
