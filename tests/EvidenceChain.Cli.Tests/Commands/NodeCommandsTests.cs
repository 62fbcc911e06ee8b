using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EvidenceChain.Cli.Tests.Node;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary>
/// The node commands end to end, in-process against a real node on 127.0.0.1: happy paths, and what each prints
/// and exits with for bad input. This file: preserve and the API key options.
/// </summary>
public sealed partial class NodeCommandsTests(CliNode node) : IClassFixture<CliNode>
{
    private static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Out).RootElement;
    }

    [Fact]
    public async Task Preserve_File_PrintsEntryIndexAndLeafHash()
    {
        var content = Encoding.UTF8.GetBytes("preserve me " + Guid.NewGuid());
        var path = node.WriteFile("statement.txt", content);

        var result = await Cli.RunAsync(node.Args(node.SubmitterKey, "preserve", path, "--title", "Witness statement"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.OutLines;
        Assert.Equal(2, lines.Length);
        Assert.Matches($"^{Regex(path)}: entry [0-9]+, leaf hash [0-9a-f]{{64}}$", lines[0]);
        Assert.Contains($"sha256 {Convert.ToHexStringLower(SHA256.HashData(content))}, {content.Length} bytes, text/plain", lines[1]);
        var index = lines[0].Split(' ')[2].TrimEnd(',');
        var entry = Json(await Cli.RunAsync(node.Args(node.SubmitterKey, "entry", index, "--json")));
        var anonymous = Json(await Cli.RunAsync(node.Args(null, "entry", index, "--json")));
        Assert.Equal(lines[0][^64..], entry.GetProperty("leafHash").GetString());
        Assert.Equal("Witness statement", entry.GetProperty("disclosed").GetProperty("title").GetString());
        Assert.Empty(anonymous.GetProperty("disclosed").EnumerateObject());
        Assert.StartsWith("commit-sha256:", entry.GetProperty("commitments").GetProperty("title").GetString(), StringComparison.Ordinal);
        var artefact = Assert.Single(entry.GetProperty("artefacts").EnumerateArray());
        Assert.Equal("file", artefact.GetProperty("name").GetString());
        Assert.Equal("text/plain", artefact.GetProperty("mediaType").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), artefact.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Preserve_TwoFilesWithMediaType_JsonListsBothInOrder()
    {
        var first = node.WriteFile("a.bin", [1, 2, 3]);
        var second = node.WriteFile("b.unknownext", [4]);

        var result = Json(await Cli.RunAsync(node.Args(node.SubmitterKey, "preserve", first, second, "--media-type", "image/png", "--json")));

        var preserved = result.GetProperty("preserved").EnumerateArray().ToList();
        Assert.Equal([first, second], preserved.Select(p => p.GetProperty("file").GetString()));
        var indices = preserved.Select(p => p.GetProperty("entry").GetProperty("index").GetUInt64()).ToList();
        Assert.Equal(indices[0] + 1, indices[1]);
        Assert.All(preserved, p => Assert.Equal("image/png", p.GetProperty("entry").GetProperty("artefacts")[0].GetProperty("mediaType").GetString()));
        Assert.All(preserved, p => Assert.True(p.GetProperty("treeSize").GetUInt64() > p.GetProperty("entry").GetProperty("index").GetUInt64()));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(new byte[] { 4 })),
            preserved[1].GetProperty("entry").GetProperty("artefacts")[0].GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Preserve_NodeRefusesTheSecondFile_JsonStillListsTheFirst()
    {
        var first = node.WriteFile("first.txt", [1]);
        var refused = node.WriteFile("invoice\u202Efdp.txt", [2]); // a bidi override in its name
        var third = node.WriteFile("third.txt", [3]);

        var result = await Cli.RunAsync(node.Args(node.SubmitterKey, "preserve", first, refused, third, "--json"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("evidencectl: InvalidArgument: file_name contains the bidirectional control character U+202E", result.Error, StringComparison.Ordinal);
        var preserved = JsonDocument.Parse(result.Out).RootElement.GetProperty("preserved");
        Assert.Equal(first, Assert.Single(preserved.EnumerateArray()).GetProperty("file").GetString());
    }

    [Fact]
    public async Task Preserve_UnknownExtension_IsOctetStream()
    {
        var entry = await node.PreserveAsync(node.WriteFile("blob.xyz", [42]));

        Assert.Equal("application/octet-stream", entry.GetProperty("artefacts")[0].GetProperty("mediaType").GetString());
    }

    [Fact]
    public async Task Preserve_LargeFileOnTerminal_StreamsInChunksWithProgressBar()
    {
        var content = new byte[(9 << 20) + 12345];
        new Random(7).NextBytes(content);
        var path = node.WriteFile("video.mp4", content);

        var result = await Cli.RunAsync(new CliOptions(ErrorIsTerminal: true), node.Args(node.SubmitterKey, "preserve", path));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\rpreserving ", result.Error);
        Assert.Contains("] 100% of 9.0 MiB", result.Error);
        Assert.Contains($"sha256 {Convert.ToHexStringLower(SHA256.HashData(content))}, {content.Length} bytes, video/mp4", result.Out);
    }

    [Fact]
    public async Task Preserve_SmallFileOnTerminal_NoProgressBar()
    {
        var result = await Cli.RunAsync(new CliOptions(ErrorIsTerminal: true), node.Args(node.SubmitterKey, "preserve", node.WriteFile("s.txt", [1])));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Preserve_NonexistentFile_ExitsTwoAndSendsNothing()
    {
        var before = await CheckpointSizeAsync();
        var missing = Path.Combine(node.NewFolder(), "missing.pdf");
        var present = node.WriteFile("present.txt", [1]);

        var result = await Cli.RunAsync(node.Args(node.SubmitterKey, "preserve", present, missing));

        Cli.AssertUsage(result, $"{missing}: no such file");
        Assert.Equal(before, await CheckpointSizeAsync());
    }

    [Fact]
    public async Task Preserve_Folder_ExitsTwo()
    {
        var folder = node.NewFolder();

        Cli.AssertUsage(await Cli.RunAsync(node.Args(node.SubmitterKey, "preserve", folder)), $"{folder} is a folder, not a file");
    }

    [Fact]
    public async Task Preserve_NoFile_ExitsTwo()
    {
        Cli.AssertUsage(await Cli.RunAsync(node.Args(node.SubmitterKey, "preserve")), "preserve needs FILE (the files to preserve)");
    }

    [Fact]
    public async Task Preserve_NoKey_ExitsOneUnauthenticatedWithHint()
    {
        var result = await Cli.RunAsync(node.Args(null, "preserve", node.WriteFile("x.txt", [1])));

        Cli.AssertNodeError(result, "Unauthenticated", "This call needs an API key with role submitter");
        Assert.Contains("(no API key was given: use --api-key, --api-key-file or EVIDENCECHAIN_API_KEY)", result.Error);
    }

    [Fact]
    public async Task Preserve_WrongSecret_ExitsOneWithoutPrintingTheKey()
    {
        var wrong = node.SubmitterKey[..node.SubmitterKey.IndexOf('.')] + ".AAAAwrongsecretAAAA";

        var result = await Cli.RunAsync(node.Args(wrong, "preserve", node.WriteFile("x.txt", [1])));

        Cli.AssertNodeError(result, "Unauthenticated", "is unknown or its secret is wrong");
        Assert.DoesNotContain("wrongsecret", result.Error);
    }

    [Fact]
    public async Task Preserve_CaseManagerKey_ExitsOnePermissionDenied()
    {
        var result = await Cli.RunAsync(node.Args(node.CaseManagerKey, "preserve", node.WriteFile("x.txt", [1])));

        Cli.AssertNodeError(result, "PermissionDenied", "This call needs role submitter");
    }

    [Fact]
    public async Task Preserve_KeyAndNodeFromEnvironment_Works()
    {
        var environment = new Dictionary<string, string> { ["EVIDENCECHAIN_NODE"] = node.Url, ["EVIDENCECHAIN_API_KEY"] = node.SubmitterKey };

        var result = await Cli.RunWithEnvironmentAsync(environment, "preserve", node.WriteFile("env.txt", [5]));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("env.txt: entry ", result.Out);
    }

    [Fact]
    public async Task Preserve_OptionsBeforeCommandAndKeyFile_Works()
    {
        var keyFile = node.WriteFile("submitter.apikey", Encoding.ASCII.GetBytes(node.SubmitterKey + "\n"));

        var result = await Cli.RunAsync("--node", node.Url, "--api-key-file", keyFile, "--json", "preserve", node.WriteFile("f.txt", [6]));

        var entry = Json(result).GetProperty("preserved")[0].GetProperty("entry");
        Assert.Equal("file", entry.GetProperty("artefacts")[0].GetProperty("name").GetString());
        Assert.Equal("f.txt", entry.GetProperty("disclosed").GetProperty("file-name").GetString());
    }

    private async Task<ulong> CheckpointSizeAsync() =>
        Json(await Cli.RunAsync(node.Args(null, "checkpoint", "--json"))).GetProperty("treeSize").GetUInt64();

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
