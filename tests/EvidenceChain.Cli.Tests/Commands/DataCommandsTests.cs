using System.Globalization;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger;
using EvidenceChain.Core.Notes;
using EvidenceChain.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using EvidenceChain.Testing;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary><c>audit</c> and <c>reindex</c> on a small real ledger written by <see cref="FileLedger"/>.</summary>
public sealed class DataCommandsTests : IDisposable
{
    private const string Origin = "cli.test/log";
    private const int Entries = 5;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Data => _temp.Sub("data");

    private static Task<FileLedger> OpenLedgerAsync(string path) =>
        FileLedger.OpenAsync(
            path, Origin, new LedgerOptions { MaxBatchDelay = TimeSpan.Zero }, TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>Writes <see cref="Entries"/> entries, one batch each, and closes the ledger; returns them and the root.</summary>
    private async Task<(List<AppendResult> Appended, Hash Root)> BuildLedgerAsync()
    {
        var appended = new List<AppendResult>();
        await using var ledger = await OpenLedgerAsync(Data);
        for (var n = 0; n < Entries; n++)
        {
            var draft = new EntryDraft(
                "file", "cli-test", [], new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture) });
            appended.Add(await ledger.Ledger.AppendAsync(draft));
        }

        return (appended, ledger.Ledger.Root);
    }

    /// <summary>The entry bundle holding the latest entries: the full <c>000</c>, or else its largest partial.</summary>
    private string EntryBundle()
    {
        var full = Path.Combine(Data, "log", "tile", "entries", "000");
        if (File.Exists(full))
        {
            return full;
        }

        return Directory.EnumerateFiles(Path.Combine(Data, "log", "tile", "entries", "000.p"))
            .MaxBy(f => int.Parse(Path.GetFileName(f), CultureInfo.InvariantCulture))!;
    }

    private string LogVerifierKey() => File.ReadAllText(Path.Combine(Data, "keys", LogKeyFiles.VerifierKeyFile)).TrimEnd('\n');

    private static void AssertAuditClean(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.OutLines);
        Assert.StartsWith($"audit clean: {Origin} — {Entries} entries, root ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_CleanLedger_ExitsZeroAuditClean()
    {
        var (_, root) = await BuildLedgerAsync();

        var result = await Cli.RunAsync("audit", "--data", Data);

        AssertAuditClean(result);
        Assert.Contains($" entries, root {root}; ", result.Out, StringComparison.Ordinal);
        Assert.EndsWith("(key from the data folder; pin one with --key)\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoteVerify_LedgerCheckpointWithItsVerifierKey_ExitsZero()
    {
        // The README's: evidencectl note verify --key "$(cat keys/log.vkey)" data/log/checkpoint
        await BuildLedgerAsync();

        var result = await Cli.RunAsync("note", "verify", "--key", LogVerifierKey(), Path.Combine(Data, "log", "checkpoint"));

        Cli.AssertVerified(result);
        Assert.StartsWith($"verified: signed by {Origin}+", result.OutLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_FlippedByteInEntryBundle_ExitsOneNamingFile()
    {
        await BuildLedgerAsync();
        var bundle = EntryBundle();
        var bytes = File.ReadAllBytes(bundle);
        bytes[bytes.Length / 2] ^= 0x20;
        File.WriteAllBytes(bundle, bytes);
        var relative = Path.GetRelativePath(Data, bundle).Replace('\\', '/');

        var result = await Cli.RunAsync("audit", "--data", Data);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith($"audit FAILED: {relative}", result.OutLines[0], StringComparison.Ordinal);
        Assert.All(result.OutLines.Skip(1), line => Assert.StartsWith("  also: ", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audit_RightPinnedKey_ExitsZero()
    {
        await BuildLedgerAsync();

        var result = await Cli.RunAsync("audit", "--data", Data, "--key", LogVerifierKey());

        AssertAuditClean(result);
        Assert.DoesNotContain("pin one with --key", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_OtherPinnedKey_ExitsOne()
    {
        await BuildLedgerAsync();
        var other = NoteSigner.FromSeed(Origin, Enumerable.Repeat((byte)7, NoteSigner.SeedSize).ToArray()).VerifierKey;

        var result = await Cli.RunAsync("audit", "--data", Data, "--key", other.ToString());

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("audit FAILED: keys/log.vkey", result.OutLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_MalformedKey_ExitsTwo()
    {
        await BuildLedgerAsync();

        var result = await Cli.RunAsync("audit", "--data", Data, "--key", "cli.test/log+nothex");

        Cli.AssertUsage(result, "--key is not a verifier key");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("many")]
    public async Task Audit_BadMaxProblems_ExitsTwo(string max)
    {
        await BuildLedgerAsync();

        var result = await Cli.RunAsync("audit", "--data", Data, "--max-problems", max);

        Cli.AssertUsage(result, "--max-problems must be a positive number");
    }

    [Fact]
    public async Task Audit_MissingFolder_ExitsTwo()
    {
        var missing = _temp.Sub("no-such-data");

        var result = await Cli.RunAsync("audit", "--data", missing);

        Cli.AssertUsage(result, $"{missing}: no such data folder");
        Assert.False(Directory.Exists(missing));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a\0b")]
    public async Task Audit_DataNotAPath_ExitsTwo(string data)
    {
        var result = await Cli.RunAsync("audit", "--data", data);

        Cli.AssertUsage(result, $"--data \"{data}\" is not a folder name");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a\0b")]
    public async Task Reindex_DataNotAPath_ExitsTwo(string data)
    {
        var result = await Cli.RunAsync("reindex", "--data", data);

        Assert.True(result.ExitCode == 2, result.ToString());
    }

    [Fact]
    public async Task Audit_NoDataOption_ExitsTwo()
    {
        var result = await Cli.RunAsync("audit");

        Cli.AssertUsage(result, "--data is required");
    }

    [Fact]
    public async Task Audit_FolderInUse_ExitsTwoInUse()
    {
        await BuildLedgerAsync();
        await using var open = await OpenLedgerAsync(Data);

        var result = await Cli.RunAsync("audit", "--data", Data);

        Cli.AssertUsage(result, "is in use by another process");
    }

    [Fact]
    public async Task Reindex_Ledger_ExitsZeroAndIndexFindsEveryEntry()
    {
        var (appended, _) = await BuildLedgerAsync();
        File.Delete(Path.Combine(Data, "index.db"));

        var result = await Cli.RunAsync("reindex", "--data", Data);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"reindexed {Entries} entries of {Origin}", Assert.Single(result.OutLines));
        await using (var ledger = await OpenLedgerAsync(Data))
        {
            Assert.Equal((ulong)Entries, ledger.Index.IndexedSize);
            foreach (var entry in appended)
            {
                Assert.Equal(entry.Index, ledger.Ledger.FindByLeafHash(entry.LeafHash));
            }
        }

        AssertAuditClean(await Cli.RunAsync("audit", "--data", Data));
    }

    [Fact]
    public async Task Reindex_MissingFolder_ExitsTwoAndCreatesNothing()
    {
        var missing = _temp.Sub("no-such-data");

        var result = await Cli.RunAsync("reindex", "--data", missing);

        Cli.AssertUsage(result, $"{missing}: no such data folder");
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task Reindex_FolderInUse_ExitsTwoInUse()
    {
        await BuildLedgerAsync();
        await using var open = await OpenLedgerAsync(Data);

        var result = await Cli.RunAsync("reindex", "--data", Data);

        Cli.AssertUsage(result, "is in use by another process");
    }

    [Fact]
    public async Task Reindex_FolderWithoutLedger_ExitsTwoAndCreatesNothing()
    {
        // A typo in --data that names some other existing folder must not turn it into a new, empty ledger.
        var folder = _temp.Sub("not-a-ledger");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "hello");

        var result = await Cli.RunAsync("reindex", "--data", folder);

        Cli.AssertUsage(result, "not a ledger data folder");
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Reindex_KeysMissing_DoesNotWriteANewKey()
    {
        // Reindex only rebuilds index.db: it must never mint a log key next to an existing ledger's files.
        await BuildLedgerAsync();
        Directory.Delete(Path.Combine(Data, "keys"), recursive: true);

        var result = await Cli.RunAsync("reindex", "--data", Data);

        Cli.AssertFailed(result, "keys/log.key is missing");
        Assert.False(Directory.Exists(Path.Combine(Data, "keys")), result.ToString());
        Assert.True(File.Exists(Path.Combine(Data, "index.db")));
    }

    [Fact]
    public async Task Reindex_FolderWhereBundleShouldBe_ExitsOne()
    {
        await BuildLedgerAsync();
        var bundle = EntryBundle();
        File.Delete(bundle);
        Directory.CreateDirectory(bundle);

        var result = await Cli.RunAsync("reindex", "--data", Data);

        Cli.AssertFailed(result, "the index cannot be rebuilt");
    }

    [Fact]
    public async Task Reindex_FolderWhereIndexShouldBe_ExitsOne()
    {
        await BuildLedgerAsync();
        File.Delete(Path.Combine(Data, "index.db"));
        Directory.CreateDirectory(Path.Combine(Data, "index.db"));

        var result = await Cli.RunAsync("reindex", "--data", Data);

        Cli.AssertFailed(result, "the index cannot be rebuilt");
    }

    [Fact]
    public async Task Reindex_KeyFileGarbled_ExitsOne()
    {
        await BuildLedgerAsync();
        File.WriteAllText(Path.Combine(Data, "keys", LogKeyFiles.PrivateKeyFile), "garbage\n");

        var result = await Cli.RunAsync("reindex", "--data", Data);

        Cli.AssertFailed(result, "does not hold a valid signed-note private key");
    }

    [Fact]
    public async Task Audit_KeyFileGarbled_ExitsOne()
    {
        await BuildLedgerAsync();
        File.WriteAllText(Path.Combine(Data, "keys", LogKeyFiles.PrivateKeyFile), "garbage\n");

        var result = await Cli.RunAsync("audit", "--data", Data);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("audit FAILED: keys/log.key", result.OutLines[0], StringComparison.Ordinal);
    }
}
