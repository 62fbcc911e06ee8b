using System.Security.Cryptography;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary>download: verified content or no file at all.</summary>
public sealed partial class NodeCommandsTests
{
    private async Task<(string Index, byte[] Content)> PreserveForDownloadAsync(string name = "evidence.pdf")
    {
        var content = new byte[300_000];
        Random.Shared.NextBytes(content);
        var entry = await node.PreserveAsync(node.WriteFile(name, content));
        return (entry.GetProperty("index").GetUInt64().ToString(), content);
    }

    [Fact]
    public async Task Download_OwnArtefact_WritesTheVerifiedContentAndNothingElse()
    {
        var (index, content) = await PreserveForDownloadAsync();
        var folder = node.NewFolder();
        var output = Path.Combine(folder, "copy.pdf");

        var result = await Cli.RunAsync(node.Args(node.SubmitterKey, "download", index, "evidence.pdf", "-o", output));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(content, await File.ReadAllBytesAsync(output));
        Assert.Equal([output], Directory.GetFiles(folder));
        Assert.StartsWith($"wrote {output}: {content.Length} bytes, SHA-256 ", Assert.Single(result.OutLines));
    }

    [Fact]
    public async Task Download_CaseManagerKey_MayDownloadAnySubmittersArtefact()
    {
        var (index, content) = await PreserveForDownloadAsync();
        var output = Path.Combine(node.NewFolder(), "copy");

        var result = await Cli.RunAsync(node.Args(node.CaseManagerKey, "download", index, "evidence.pdf", "--output", output, "--json"));

        Assert.Equal(content.Length, Json(result).GetProperty("artefact").GetProperty("size").GetInt32());
        Assert.Equal(content, await File.ReadAllBytesAsync(output));
    }

    [Fact]
    public async Task Download_ExistingFile_ExitsTwoUnlessForced()
    {
        var (index, content) = await PreserveForDownloadAsync();
        var output = node.WriteFile("existing", [9, 9]);

        var refused = await Cli.RunAsync(node.Args(node.SubmitterKey, "download", index, "evidence.pdf", "-o", output));
        Cli.AssertUsage(refused, $"-o {output} exists; give --force to replace it");
        Assert.Equal([9, 9], await File.ReadAllBytesAsync(output));

        var forced = await Cli.RunAsync(node.Args(node.SubmitterKey, "download", index, "evidence.pdf", "-o", output, "--force"));
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal(content, await File.ReadAllBytesAsync(output));
    }

    [Fact]
    public async Task Download_ToExistingFolder_ExitsTwoAndWritesNothing()
    {
        var (index, _) = await PreserveForDownloadAsync();
        var folder = node.NewFolder();

        var result = await Cli.RunAsync(node.Args(node.SubmitterKey, "download", index, "evidence.pdf", "-o", folder));

        Cli.AssertUsage(result, $"-o {folder} is a folder; give the name of the file to write");
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task Download_IntoMissingFolder_ExitsTwo()
    {
        var output = Path.Combine(node.NewFolder(), "no", "such", "file");

        var result = await Cli.RunAsync(node.Args(node.SubmitterKey, "download", "0", "x", "-o", output));

        Cli.AssertUsage(result, "does not exist");
    }

    [Fact]
    public async Task Download_NotAFileName_ExitsTwo()
    {
        Cli.AssertUsage(await Cli.RunAsync(node.Args(node.SubmitterKey, "download", "0", "x", "-o", "a\0b")), "is not a file name");
    }

    [Fact]
    public async Task Download_NoOutput_ExitsTwo()
    {
        Cli.AssertUsage(await Cli.RunAsync(node.Args(node.SubmitterKey, "download", "0", "x")), "download needs -o FILE");
    }

    [Fact]
    public async Task Download_NoKey_ExitsOneAndLeavesNoFile()
    {
        var (index, _) = await PreserveForDownloadAsync();
        var folder = node.NewFolder();

        var result = await Cli.RunAsync(node.Args(null, "download", index, "file", "-o", Path.Combine(folder, "copy")));

        Cli.AssertNodeError(result, "Unauthenticated", "This call needs an API key");
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task Download_AnotherSubmittersArtefact_ExitsOnePermissionDeniedAndLeavesNoFile()
    {
        var (index, _) = await PreserveForDownloadAsync();
        var other = await node.Node.CreateKeyAsync("submitter");
        var folder = node.NewFolder();

        var result = await Cli.RunAsync(node.Args(other, "download", index, "file", "-o", Path.Combine(folder, "copy")));

        Cli.AssertNodeError(result, "PermissionDenied", "a submitter key may download only its own artefacts");
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task Download_UnknownName_ExitsOneListingTheNames()
    {
        var (index, _) = await PreserveForDownloadAsync("listed.txt");
        var folder = node.NewFolder();

        var result = await Cli.RunAsync(node.Args(node.SubmitterKey, "download", index, "other.txt", "-o", Path.Combine(folder, "copy")));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal($"evidencectl: entry {index} has no artefact named \"other.txt\"; it lists: file\n", result.Error);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task Download_UnknownIndex_ExitsOneNotFound()
    {
        var result = await Cli.RunAsync(node.Args(node.SubmitterKey, "download", "999999", "x", "-o", Path.Combine(node.NewFolder(), "copy")));

        Cli.AssertNodeError(result, "NotFound", "Entry 999999 does not exist");
    }

    [Fact]
    public async Task Download_DamagedBlob_ExitsOneAndLeavesNoPartialFile()
    {
        var (index, content) = await PreserveForDownloadAsync();
        var blob = Assert.Single(Directory.GetFiles(node.Node.DataPath, Convert.ToHexStringLower(SHA256.HashData(content)), SearchOption.AllDirectories));
        File.SetAttributes(blob, FileAttributes.Normal);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        content[^1] ^= 1;
        await File.WriteAllBytesAsync(blob, content);
        var folder = node.NewFolder();

        var result = await Cli.RunAsync(node.Args(node.SubmitterKey, "download", index, "evidence.pdf", "-o", Path.Combine(folder, "copy")));

        Cli.AssertNodeError(result, "DataLoss", "does not match the ledger");
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }
}
