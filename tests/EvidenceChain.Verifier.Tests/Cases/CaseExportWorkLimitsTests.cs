using System.Diagnostics;
using System.IO.Compression;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Notes;
using EvidenceChain.Verifier.Cases;
using EvidenceChain.Verifier.Internal;
using EvidenceChain.Verifier.Receipts;
using EvidenceChain.Verifier.Receipts.Internal;

namespace EvidenceChain.Verifier.Tests.Cases;

/// <summary>
/// A hostile case export whose every layout limit holds (member sizes, ratios, counts) must still stop quickly: the
/// work of verifying it (bytes inflated and hashed, time) is bounded in all, and the report says which limit stopped it.
/// </summary>
public sealed class CaseExportWorkLimitsTests
{
    private const int BombBytes = 32 << 20;

    private static readonly ReceiptTrust Trust = new() { LogKey = NoteSigner.FromSeed("example.org/log", new byte[32]).VerifierKey };

    [Fact]
    public async Task ManyReceiptsWithZipBombArtefacts_StopsAtTheByteBudgetAndSaysSo()
    {
        // 300 receipts, each with a 32 MiB artefact of zeros its leaf lists: ~9.4 GiB to inflate and hash unbounded.
        using var zip = HostileExport(receipts: 300);
        var limits = new CaseExportLimits { MaxWorkBytes = 128L << 20 };
        var clock = Stopwatch.StartNew();

        var report = await CaseExportVerifier.VerifyAsync(zip, Trust, limits);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.False(report.IsValid);
        var stop = Assert.Single(report.Export.Steps, s => s.Name == "work limit");
        Assert.False(stop.Passed);
        Assert.Contains("more than 134217728 bytes inflated and hashed", stop.Detail, StringComparison.Ordinal);
        Assert.Contains("of 300 receipts were checked", stop.Detail, StringComparison.Ordinal);
        Assert.True(report.Entries.Count < 10, $"{report.Entries.Count} receipts checked");
    }

    [Fact]
    public async Task ManyReceipts_StopsAtTheTimeLimitAndSaysSo()
    {
        using var zip = HostileExport(receipts: 50);

        var report = await CaseExportVerifier.VerifyAsync(zip, Trust, new CaseExportLimits { MaxDuration = TimeSpan.Zero });

        var stop = Assert.Single(report.Export.Steps, s => s.Name == "work limit");
        Assert.False(stop.Passed);
        Assert.Contains("time limit of 0 s", stop.Detail, StringComparison.Ordinal);
        Assert.False(report.IsValid);
    }

    [Fact]
    public async Task MoreReceiptsThanTheLimit_RefusedByLayoutBeforeAnyIsRead()
    {
        using var zip = HostileExport(receipts: 30);

        var report = await CaseExportVerifier.VerifyAsync(zip, Trust, new CaseExportLimits { MaxReceipts = 20 });

        var step = Assert.Single(report.Export.Steps);
        Assert.False(step.Passed);
        Assert.Contains("holds 30 receipts; at most 20", step.Detail, StringComparison.Ordinal);
        Assert.Empty(report.Entries);
    }

    [Fact]
    public async Task ReceiptWithAZipBombArtefact_StopsAtTheByteBudgetAndSaysSo()
    {
        using var stream = new MemoryStream(HostileReceipt());
        await using var package = await ReceiptReader.OpenAsync(stream, ReceiptLimits.Default, new WorkBudget(1 << 20, TimeSpan.MaxValue), CancellationToken.None);

        var report = await ReceiptVerifier.VerifyAsync(package.Evidence, Trust);

        var stop = Assert.Single(report.Steps, s => s.Name == "work limit");
        Assert.False(stop.Passed);
        Assert.Contains("more than 1048576 bytes inflated and hashed", stop.Detail, StringComparison.Ordinal);
        Assert.False(Assert.Single(report.Steps, s => s.Name == "artefact zeros.bin").Passed);
    }

    [Fact]
    public async Task ReceiptPastItsTimeLimit_IsRefusedSayingSo()
    {
        using var stream = new MemoryStream(HostileReceipt());

        var e = await Assert.ThrowsAsync<ReceiptFormatException>(() => ReceiptArchive.OpenAsync(stream, new ReceiptLimits { MaxDuration = TimeSpan.Zero }));

        Assert.Contains("time limit of 0 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiptWhoseMembersAddUpPastTheLimit_IsRefused()
    {
        using var stream = new MemoryStream(HostileReceipt());

        var e = await Assert.ThrowsAsync<ReceiptFormatException>(() => ReceiptArchive.OpenAsync(stream, new ReceiptLimits { MaxTotalBytes = 1 << 20 }));

        Assert.Contains("members add up to", e.Message, StringComparison.Ordinal);
    }

    // A receipt whose leaf parses and lists zeros.bin, with that artefact as a deflated run of zeros (a bomb within
    // the plausible deflate ratio); its proof, checkpoint and token are junk, which costs nothing to refuse.
    private static byte[] HostileReceipt()
    {
        var draft = new EntryDraft(
            "file", "hostile", [new Artefact("zeros.bin", "application/octet-stream", BombBytes, default)], new Dictionary<string, string>());
        var leaf = LeafCodec.Encode(new LedgerEntry("example.org/log", 0, default, DateTimeOffset.UnixEpoch, draft));
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(archive, ReceiptMembers.Entry, leaf);
            Add(archive, ReceiptMembers.Proof, "junk"u8.ToArray());
            Add(archive, ReceiptMembers.CheckpointText, "junk"u8.ToArray());
            Add(archive, ReceiptMembers.TimestampResponse, [0x30, 0x00]);
            using var bomb = archive.CreateEntry(ReceiptMembers.ArtefactFolder + "zeros.bin", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < BombBytes / zeros.Length; i++)
            {
                bomb.Write(zeros);
            }
        }

        return buffer.ToArray();
    }

    private static MemoryStream HostileExport(int receipts)
    {
        var receipt = HostileReceipt();
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(archive, CaseExportMembers.Manifest, "not a signed note"u8.ToArray());
            for (var i = 0; i < receipts; i++)
            {
                Add(archive, CaseExportMembers.ReceiptName(CaseExportMembers.ReceiptFolder, (ulong)i), receipt, CompressionLevel.NoCompression);
            }
        }

        zip.Position = 0;
        return zip;
    }

    private static void Add(ZipArchive archive, string name, byte[] bytes, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var member = archive.CreateEntry(name, level).Open();
        member.Write(bytes);
    }
}
