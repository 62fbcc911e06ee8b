using System.Globalization;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Verifier.Cases;
using EvidenceChain.Verifier.Receipts;
using EvidenceChain.Verifier.Receipts.Internal;

namespace EvidenceChain.Verifier.Internal;

/// <summary>
/// A receipt inside an export (case or watch), opened (or not, with the reason) and not yet verified. <c>IsEvent</c>:
/// for a case export, a case event's receipt; for a watch export, the summary's.
/// </summary>
internal sealed record OpenedExportReceipt(bool IsEvent, string Folder, ulong Index, MemoryStream Stream, ReceiptPackage? Package, VerificationReport? Unreadable);

/// <summary>
/// The receipts nested in an export zip (<c>FOLDER/entry-INDEX.evidence.zip</c>): found by folder, opened within the
/// export's work budget and verified as <see cref="ReceiptVerifier"/> does, with the entry's index checked against the
/// member name. Shared by <see cref="CaseExportVerifier"/> and <see cref="Watches.WatchExportVerifier"/>.
/// </summary>
internal static class ExportReceipts
{
    /// <summary>The receipts in <paramref name="folder"/>, by the entry index their member name gives.</summary>
    public static Dictionary<ulong, byte[]> InFolder(Dictionary<string, byte[]> members, string folder)
    {
        var receipts = new Dictionary<ulong, byte[]>();
        foreach (var (name, bytes) in members)
        {
            if (CaseExportMembers.TryParseReceiptName(name, folder, out var index))
            {
                receipts[index] = bytes;
            }
        }

        return receipts;
    }

    public static async Task<OpenedExportReceipt> OpenAsync(
        bool isEvent, string folder, ulong index, byte[] bytes, WorkBudget budget, CancellationToken cancellationToken)
    {
        var stream = new MemoryStream(bytes, writable: false);
        try
        {
            var package = await ReceiptReader.OpenAsync(stream, ReceiptLimits.Default, budget, cancellationToken);
            return new OpenedExportReceipt(isEvent, folder, index, stream, package, null);
        }
        catch (ReceiptFormatException e)
        {
            var failed = new VerificationReport();
            failed.Add("receipt format", false, e.Message);
            return new OpenedExportReceipt(isEvent, folder, index, stream, null, failed);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    public static async Task<(VerificationReport Report, LedgerEntry? Entry, Hash LeafHash)> VerifyAsync(
        OpenedExportReceipt receipt, PrecomputedInclusion? inclusion, ReceiptTrust trust, CancellationToken cancellationToken)
    {
        if (receipt.Package is not { } package)
        {
            return (receipt.Unreadable!, null, default);
        }

        var index = receipt.Index;
        var report = await ReceiptVerifier.VerifyAsync(package.Evidence, trust, inclusion, cancellationToken);
        LedgerEntry? entry = null;
        try
        {
            entry = LeafCodec.Parse(package.Evidence.Entry.Span);
        }
        catch (LeafFormatException)
        {
            // The receipt's leaf format step says why.
        }

        if (entry is not null && report.Disclosed.Count > 0)
        {
            // Committed fields (a case's title, parties and notes; a capture's private URL) as the disclosed step proved them.
            entry = Disclosure.Create(report.Disclosed).Reveal(entry);
        }

        if (entry is not null)
        {
            report.Add("entry index", entry.Index == index, entry.Index == index
                ? string.Create(CultureInfo.InvariantCulture, $"entry.json is entry {index}, as the member name says")
                : string.Create(CultureInfo.InvariantCulture, $"entry.json is entry {entry.Index}, but the member name says {index}"));
        }

        return (report, entry, Rfc6962.HashLeaf(package.Evidence.Entry.Span));
    }

    /// <summary>
    /// Reads every member of an export zip within <paramref name="limits"/>: the receipts in <paramref name="receiptFolders"/>
    /// (each at most <see cref="CaseExportLimits.MaxReceiptBytes"/>, at most <see cref="CaseExportLimits.MaxReceipts"/>
    /// of them), the text members <paramref name="texts"/> (each at most <see cref="CaseExportLimits.MaxTextBytes"/>) and
    /// <c>trust/</c>; <paramref name="required"/> must be there.
    /// </summary>
    /// <exception cref="FormatException">Too many receipts, or <paramref name="required"/> is missing (<paramref name="missing"/> says so).</exception>
    public static async Task<Dictionary<string, byte[]>> ReadMembersAsync(
        Stream source,
        CaseExportLimits limits,
        WorkBudget budget,
        string[] receiptFolders,
        string[] texts,
        string required,
        string missing,
        string unexpectedHint,
        CancellationToken cancellationToken)
    {
        bool IsReceipt(string name) => receiptFolders.Any(folder => CaseExportMembers.TryParseReceiptName(name, folder, out _));
        var rules = new ZipReadRules
        {
            Subject = "export",
            MaxMembers = limits.MaxMembers,
            MaxTotalBytes = limits.MaxTotalBytes,
            Folders = [.. receiptFolders, "trust/"],
            MemberLimit = name => IsReceipt(name) ? limits.MaxReceiptBytes : texts.Contains(name) ? limits.MaxTextBytes : null,
            UnexpectedHint = unexpectedHint,
        };
        var zip = await UntrustedZip.OpenAsync(source, rules, budget, cancellationToken);
        await using (zip.ConfigureAwait(false))
        {
            var receipts = zip.Members.Count(m => IsReceipt(m.FullName));
            if (receipts > limits.MaxReceipts)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"The export holds {receipts} receipts; at most {limits.MaxReceipts} are verified."));
            }

            var members = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var member in zip.Members)
            {
                members[member.FullName] = await zip.ReadAllAsync(member, cancellationToken);
            }

            return members.ContainsKey(required) ? members : throw new FormatException(missing);
        }
    }

    /// <summary>Disposes every opened receipt's package and stream.</summary>
    public static async Task DisposeAllAsync(IEnumerable<OpenedExportReceipt> opened)
    {
        foreach (var receipt in opened)
        {
            if (receipt.Package is { } package)
            {
                await package.DisposeAsync();
            }

            await receipt.Stream.DisposeAsync();
        }
    }
}
