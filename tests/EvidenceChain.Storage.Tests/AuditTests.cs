using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using EvidenceChain.Testing;

namespace EvidenceChain.Storage.Tests;

public sealed class AuditTests(ITestOutputHelper output)
{
    private static async Task BuildLedgerAsync(string path, int entries)
    {
        // Small batches leave older partial tiles and bundles behind, which the audit must check too.
        var options = new LedgerOptions { MaxBatchSize = 40, MaxBatchDelay = TimeSpan.Zero };
        await using var ledger = await FileLedger.OpenAsync(path, "audit.test/log", options, TimeProvider.System, NullLoggerFactory.Instance);
        for (var n = 0; n < entries; n++)
        {
            var artefacts = new List<Artefact>();
            if (n % 100 == 0)
            {
                using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"blob {n}"));
                var d = await ledger.Blobs.PutAsync(content, withSm3: true, 1 << 20, CancellationToken.None);
                artefacts.Add(new Artefact($"blob-{n}.txt", "text/plain", d.Size, d.Sha256, d.Sm3));
            }

            var draft = new EntryDraft("file", "t", artefacts, new Dictionary<string, string> { ["title"] = $"confidential title {n}" });
            if (n % 50 == 0)
            {
                // Committed: its opening goes to openings/, which the audit checks against the leaf like any other file.
                var openings = new EntryOpenings(ledger.Openings, CommitmentAlgorithm.Sha256, System.Security.Cryptography.RandomNumberGenerator.Fill);
                draft = await openings.SealAsync(draft, ["title"], CancellationToken.None);
            }

            await ledger.Ledger.AppendAsync(draft);
        }
    }

    [Fact]
    public async Task Audit_OpeningsMissingOrReadableByOthers_AreProblemsNamingTheFile()
    {
        using var temp = new TempFolder();
        await BuildLedgerAsync(temp.Path, 120);
        var files = Directory.GetFiles(Path.Combine(temp.Path, "openings"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, files.Length);
        Assert.True((await AuditAsync(temp.Path)).IsClean);
        File.Delete(files[0]);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(files[1], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        }

        var report = await AuditAsync(temp.Path);

        var relative = Path.GetRelativePath(temp.Path, files[0]).Replace('\\', '/');
        Assert.Contains(report.Problems, p => p.Where == relative && p.What.StartsWith("missing", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            var other = Path.GetRelativePath(temp.Path, files[1]).Replace('\\', '/');
            Assert.Contains(report.Problems, p => p.Where == other && p.What.Contains("readable", StringComparison.Ordinal));
        }
    }

    private static async Task<AuditReport> AuditAsync(string path)
    {
        using var folder = DataFolder.Open(path, create: false);
        return await LedgerAuditor.RunAsync(folder, pinnedKey: null);
    }

    [Fact]
    public async Task Audit_CleanLedger_IsClean()
    {
        using var temp = new TempFolder();
        await BuildLedgerAsync(temp.Path, 300);

        var report = await AuditAsync(temp.Path);

        Assert.True(report.IsClean, string.Join("\n", report.Problems));
        Assert.Equal(300UL, report.Entries);
        Assert.True(report.Checkpoints >= 300 / 40);
        Assert.Equal(3, report.Blobs);
    }

    [Fact]
    public async Task Audit_AnyFlippedByte_DetectedOrProvablyHarmless()
    {
        using var temp = new TempFolder();
        await BuildLedgerAsync(temp.Path, 300);
        var random = new Random(12345);
        // Every file that is not a tile, and a sample of the many (mostly partial) tiles and bundles.
        var all = Directory.EnumerateFiles(temp.Path, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "LOCK")
            .Order(StringComparer.Ordinal)
            .ToList();
        var tiles = all.Where(f => f.Contains($"{Path.DirectorySeparatorChar}tile{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
        var files = all.Except(tiles).Concat(tiles.OrderBy(_ => random.Next()).Take(24)).ToList();
        var missed = new List<string>();
        var checkedFlips = 0;
        foreach (var file in files)
        {
            var original = await File.ReadAllBytesAsync(file);
            var positions = original.Length <= 64
                ? Enumerable.Range(0, original.Length)
                : Enumerable.Range(0, 6).Select(_ => random.Next(original.Length)).Append(0).Append(original.Length - 1);
            foreach (var position in positions.Distinct())
            {
                var flipped = (byte[])original.Clone();
                flipped[position] ^= (byte)(1 << random.Next(8));
                await File.WriteAllBytesAsync(file, flipped);
                var report = await AuditAsync(temp.Path);
                checkedFlips++;
                var relative = Path.GetRelativePath(temp.Path, file);

                // The LiteDB file is derived data: the audit compares its whole content with the ledger, so a flip
                // it does not report (free space, page slack) changed nothing that any look-up returns.
                if (report.IsClean && !relative.StartsWith("index", StringComparison.Ordinal))
                {
                    missed.Add($"{relative} byte {position}");
                }

                await File.WriteAllBytesAsync(file, original);
            }
        }

        output.WriteLine($"{checkedFlips} flips in {files.Count} files");
        Assert.True((await AuditAsync(temp.Path)).IsClean);
        Assert.Empty(missed);
    }

    [Fact]
    public async Task Audit_ListedArtefactNotStored_Reported()
    {
        using var temp = new TempFolder();
        await BuildLedgerAsync(temp.Path, 300);
        File.Delete(Path.Combine(temp.Path, "blobs", "packs", "00000000.pack"));

        var report = await AuditAsync(temp.Path);

        Assert.False(report.IsClean);
        Assert.Equal(3, report.Problems.Count(p => p.Where == "blobs" && p.What.Contains("that the ledger lists is not stored", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Audit_ChangedLeaf_NamesTheEntryAndTile()
    {
        using var temp = new TempFolder();
        await BuildLedgerAsync(temp.Path, 300);
        var bundle = Path.Combine(temp.Path, "log", "tile", "entries", "000");
        var bytes = await File.ReadAllBytesAsync(bundle);
        var at = Array.IndexOf(bytes, (byte)'"', 1000);
        bytes[at + 1] ^= 0x01;
        await File.WriteAllBytesAsync(bundle, bytes);

        var report = await AuditAsync(temp.Path);

        Assert.False(report.IsClean);
        Assert.Contains("tile/entries/000 entry", report.Problems[0].Where);
    }

    [Fact]
    public async Task Open_FilesLeftByACrashedBatch_AreDiscarded()
    {
        using var temp = new TempFolder();
        await BuildLedgerAsync(temp.Path, 300);
        var tile = Path.Combine(temp.Path, "log", "tile");
        string[] stale =
        [
            Path.Combine(tile, "0", "001.p", "99"),
            Path.Combine(tile, "0", "001"),
            Path.Combine(tile, "0", "002.p", "3"),
            Path.Combine(tile, "1", "000.p", "2"),
            Path.Combine(tile, "entries", "001.p", "200"),
        ];
        foreach (var file in stale)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, new byte[32]);
        }

        await BuildLedgerAsync(temp.Path, 0);

        Assert.All(stale, file => Assert.False(File.Exists(file), file));
        Assert.True(File.Exists(Path.Combine(tile, "0", "001.p", "44")));
        var report = await AuditAsync(temp.Path);
        Assert.True(report.IsClean, string.Join("\n", report.Problems));
    }
}
