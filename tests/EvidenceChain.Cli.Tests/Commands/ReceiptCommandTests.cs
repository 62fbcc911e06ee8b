using System.Globalization;
using System.Text.Json;
using EvidenceChain.Cli.Tests.Node;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Core.Proofs;
using EvidenceChain.Testing;
using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary>evidencectl receipt and preserve --receipts against a real node: zips ReceiptArchive opens and openssl accepts.</summary>
public sealed class ReceiptCommandTests(CliNode node) : IClassFixture<CliNode>
{
    private string TsaCa => Path.Combine(node.Node.DataPath, "keys", "tsa-ca.pem");

    private static string I(ulong index) => index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Opens the zip with the receipt format's reader and checks its token with openssl over checkpoint.txt.</summary>
    private async Task<(ReceiptEvidence Evidence, List<(string Name, byte[] Bytes)> Artefacts)> OpenAndCheckAsync(string path, ulong index)
    {
        await using var file = File.OpenRead(path);
        await using var package = await ReceiptArchive.OpenAsync(file);
        var evidence = package.Evidence;
        var proof = TlogProof.Parse(evidence.Proof.Span);
        Assert.Equal(index, proof.Index);
        Assert.Equal(CheckpointTimestamper.NoteText(proof.Checkpoint), evidence.CheckpointText!.Value.ToArray());

        using var temp = new TempFolder();
        await File.WriteAllBytesAsync(temp.Sub("checkpoint.txt"), evidence.CheckpointText!.Value.ToArray());
        await File.WriteAllBytesAsync(temp.Sub("checkpoint.tsr"), evidence.TimestampResponse!.Value.ToArray());
        Openssl.AssertVerified(await Openssl.VerifyDataAsync(temp.Sub("checkpoint.txt"), temp.Sub("checkpoint.tsr"), TsaCa));

        var artefacts = new List<(string, byte[])>();
        foreach (var artefact in evidence.Artefacts)
        {
            await using var stream = await artefact.OpenAsync(CancellationToken.None);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            artefacts.Add((artefact.Name, copy.ToArray()));
        }

        return (evidence, artefacts);
    }

    [Fact]
    public async Task Receipt_NoKey_WritesAZipThatOpensAndWhoseTokenOpensslAccepts()
    {
        var index = await node.PreserveNewAsync();
        var folder = node.NewFolder();
        var output = Path.Combine(folder, "r.evidence.zip");

        var result = await Cli.RunAsync(node.Args(null, "receipt", I(index), "-o", output));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"wrote {output}: entry {index}, proof at the checkpoint of size ", result.OutLines[0], StringComparison.Ordinal);
        Assert.Equal([output], Directory.GetFiles(folder)); // no partial file left beside it
        var (evidence, artefacts) = await OpenAndCheckAsync(output, index);
        Assert.Empty(artefacts);
        Assert.NotEqual(0, evidence.Entry.Length);
    }

    [Fact]
    public async Task Receipt_WithArtefacts_VerifiesOfflineUnderTheNodesPinnedKeys()
    {
        var index = await node.PreserveNewAsync();
        var output = Path.Combine(node.NewFolder(), "r.evidence.zip");
        Assert.Equal(0, (await Cli.RunAsync(node.Args(node.SubmitterKey, "receipt", I(index), "-o", output, "--with-artefacts"))).ExitCode);
        var logKey = Path.Combine(node.Node.DataPath, "keys", "log.vkey");

        // No --node: verification is offline and trusts only the pinned log key and TSA CA.
        var result = await Cli.RunAsync(["verify", output, "--log-key", logKey, "--tsa-ca", TsaCa]);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var step in new[] { "checkpoint signature", "inclusion", "timestamp", "checkpoint text", "artefact " })
        {
            Assert.Contains(result.OutLines, l => l.StartsWith("PASS " + step, StringComparison.Ordinal));
        }

        Assert.Contains(TimeStampAuthority.PolicyOid, result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Receipt_OriginalGivenUnderItsOwnName_IsCheckedAgainstTheEntrysFile(bool withKey)
    {
        // Leaf version 2 lists a preserved file as "file" and commits its name; the original keeps its own name.
        var original = node.WriteFile("contract.pdf", Guid.NewGuid().ToByteArray());
        var index = (await node.PreserveAsync(original)).GetProperty("index").GetUInt64();
        var output = Path.Combine(node.NewFolder(), "r.evidence.zip");
        Assert.Equal(0, (await Cli.RunAsync(node.Args(withKey ? node.SubmitterKey : null, "receipt", I(index), "-o", output))).ExitCode);
        string[] verify = ["verify", output, "--log-key", Path.Combine(node.Node.DataPath, "keys", "log.vkey"), "--tsa-ca", TsaCa];

        var result = await Cli.RunAsync([.. verify, "--artefact", original]);
        var other = await Cli.RunAsync([.. verify, "--artefact", node.WriteFile("contract.pdf", [1, 2, 3])]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.OutLines, l => l.StartsWith("PASS artefact file (contract.pdf):", StringComparison.Ordinal));
        Assert.Equal(1, other.ExitCode);
        Assert.Contains(other.OutLines, l => l.StartsWith("FAIL artefact file (contract.pdf): 3 bytes, but entry", StringComparison.Ordinal));
        Assert.Contains(result.OutLines, l => l.StartsWith("SKIP warc records: entry ", StringComparison.Ordinal));

        // VERIFY.txt speaks of disclosed.json exactly when the receipt carries it (a key that may see the entry).
        using var archive = System.IO.Compression.ZipFile.OpenRead(output);
        var instructions = new StreamReader(archive.GetEntry("VERIFY.txt")!.Open()).ReadToEnd();
        Assert.Equal(withKey, archive.GetEntry("disclosed.json") is not null);
        Assert.Equal(withKey, instructions.Contains("DISCLOSED FIELDS. disclosed.json opens these committed fields of the entry:\n\n   file-name\n", StringComparison.Ordinal));
        Assert.Equal(withKey, result.OutLines.Any(l => l.StartsWith("PASS disclosed: 1 committed field(s) opened", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Receipt_VerifiedUnderAnotherNodesTsaCa_TimestampFails()
    {
        var index = await node.PreserveNewAsync();
        var output = Path.Combine(node.NewFolder(), "r.evidence.zip");
        Assert.Equal(0, (await Cli.RunAsync(node.Args(null, "receipt", I(index), "-o", output))).ExitCode);
        using var other = new TempFolder();
        using (EvidenceChain.Storage.TsaKeyFiles.LoadOrCreate(other.Path, "other.example/log", TimeProvider.System))
        {
        }

        var result = await Cli.RunAsync(["verify", output, "--log-key", Path.Combine(node.Node.DataPath, "keys", "log.vkey"), "--tsa-ca", other.Sub("tsa-ca.pem")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.OutLines, l => l.StartsWith("FAIL timestamp", StringComparison.Ordinal));
        Assert.Contains(result.OutLines, l => l.StartsWith("PASS inclusion", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Receipt_Json_ReportsTheFileAndTreeSize()
    {
        var index = await node.PreserveNewAsync();
        var output = Path.Combine(node.NewFolder(), "r.evidence.zip");

        var result = await Cli.RunAsync(node.Args(null, "receipt", I(index), "--output", output, "--json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal(output, json.GetProperty("file").GetString());
        Assert.True(json.GetProperty("treeSize").GetUInt64() > index);
        Assert.Equal(0, json.GetProperty("artefacts").GetInt32());
        await OpenAndCheckAsync(output, index);
    }

    [Fact]
    public async Task Receipt_WithArtefacts_IncludesEachFileWithItsBytes()
    {
        var content = new byte[200_000];
        Random.Shared.NextBytes(content);
        var entry = await node.PreserveAsync(node.WriteFile("photo.jpg", content));
        var index = entry.GetProperty("index").GetUInt64();
        var output = Path.Combine(node.NewFolder(), "with.evidence.zip");

        var result = await Cli.RunAsync(node.Args(node.SubmitterKey, "receipt", I(index), "-o", output, "--with-artefacts"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith(", 1 artefact(s)", result.OutLines[0], StringComparison.Ordinal);
        var (_, artefacts) = await OpenAndCheckAsync(output, index);
        var (name, bytes) = Assert.Single(artefacts);
        Assert.Equal("file", name);
        Assert.Equal(content, bytes);
    }

    [Fact]
    public async Task Receipt_WithArtefactsWithoutAKey_ClearErrorAndNoFile()
    {
        var index = await node.PreserveNewAsync();
        var folder = node.NewFolder();
        var output = Path.Combine(folder, "r.evidence.zip");

        var result = await Cli.RunAsync(node.Args(null, "receipt", I(index), "-o", output, "--with-artefacts"));

        Assert.True(result.ExitCode is 1 or 2, result.ToString());
        Assert.Equal(string.Empty, result.Out);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("evidencectl: ", line, StringComparison.Ordinal);
        Assert.Contains("key", line, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task Receipt_ExistingFile_RefusedWithoutForceAndReplacedWithIt()
    {
        var index = await node.PreserveNewAsync();
        var output = node.WriteFile("existing.evidence.zip", [1, 2, 3]);

        var refused = await Cli.RunAsync(node.Args(null, "receipt", I(index), "-o", output));

        Cli.AssertUsage(refused, "exists; give --force to replace it");
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(output));

        var forced = await Cli.RunAsync(node.Args(null, "receipt", I(index), "-o", output, "--force"));

        Assert.True(forced.ExitCode == 0, forced.ToString());
        await OpenAndCheckAsync(output, index);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public async Task Receipt_NoWait_OnceStamped_Written()
    {
        var index = await node.PreserveNewAsync();
        var first = Path.Combine(node.NewFolder(), "a.evidence.zip");
        Assert.Equal(0, (await Cli.RunAsync(node.Args(null, "receipt", I(index), "-o", first))).ExitCode);
        var second = Path.Combine(node.NewFolder(), "b.evidence.zip");

        var result = await Cli.RunAsync(node.Args(null, "receipt", I(index), "-o", second, "--no-wait"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var (a, _) = await OpenAndCheckAsync(first, index);
        var (b, _) = await OpenAndCheckAsync(second, index);
        Assert.Equal(a.Proof.ToArray(), b.Proof.ToArray()); // the same earliest covering checkpoint and token
        Assert.Equal(a.TimestampResponse!.Value.ToArray(), b.TimestampResponse!.Value.ToArray());
    }

    [Fact]
    public async Task Receipt_UnknownIndex_NotFoundAndNoFile()
    {
        var folder = node.NewFolder();

        var result = await Cli.RunAsync(node.Args(null, "receipt", "999999", "-o", Path.Combine(folder, "r.evidence.zip")));

        Cli.AssertNodeError(result, "NotFound", "Entry 999999 does not exist");
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task Receipt_NoOutput_UsageError()
    {
        var result = await Cli.RunAsync(node.Args(null, "receipt", "0"));

        Cli.AssertUsage(result, "receipt needs -o FILE.evidence.zip");
    }

    [Fact]
    public async Task PreserveReceipts_WritesEntryNEvidenceZipIntoTheFolder()
    {
        var receipts = node.NewFolder();
        var content = Guid.NewGuid().ToByteArray();
        var path = node.WriteFile("statement.txt", content);

        var result = await Cli.RunAsync(node.Args(node.SubmitterKey, "preserve", path, "--receipts", receipts, "--json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var index = JsonDocument.Parse(result.Out).RootElement.GetProperty("preserved")[0].GetProperty("entry").GetProperty("index").GetUInt64();
        var expected = Path.Combine(receipts, $"entry-{index}.evidence.zip");
        Assert.Equal([expected], Directory.GetFiles(receipts));
        var (evidence, _) = await OpenAndCheckAsync(expected, index);
        Assert.NotEqual(0, evidence.Entry.Length);
    }

    [Fact]
    public async Task PreserveReceipts_MissingFolder_CreatesItAndWritesTheReceipt()
    {
        var missing = Path.Combine(node.NewFolder(), "new", "receipts");
        var path = node.WriteFile("x.txt", Guid.NewGuid().ToByteArray());

        var result = await Cli.RunAsync(node.Args(node.SubmitterKey, "preserve", path, "--receipts", missing));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(Directory.GetFiles(missing, "entry-*.evidence.zip"));
    }

    [Fact]
    public async Task PreserveReceipts_AFile_UsageErrorAndNothingPreserved()
    {
        var file = node.WriteFile("not-a-folder", [1]);
        var path = node.WriteFile("x.txt", Guid.NewGuid().ToByteArray());

        var result = await Cli.RunAsync(node.Args(node.SubmitterKey, "preserve", path, "--receipts", file));

        Cli.AssertUsage(result, $"--receipts {file} is a file; give a folder");
    }
}
