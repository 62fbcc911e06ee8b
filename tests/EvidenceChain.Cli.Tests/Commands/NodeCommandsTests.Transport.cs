namespace EvidenceChain.Cli.Tests.Commands;

/// <summary>A --node that points at the wrong port or speaks the wrong protocol: one line naming the fix.</summary>
public sealed partial class NodeCommandsTests
{
    [Fact]
    public async Task NodeOption_TheNodesHttpPort_SaysToUseTheGrpcPort()
    {
        var http = node.Node.Node.HttpAddress;

        var result = await Cli.RunAsync("entry", "0", "--node", $"http://{http.Host}:{http.Port}");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(string.Empty, result.Out);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("evidencectl: ", line, StringComparison.Ordinal);
        Assert.Contains("not gRPC", line, StringComparison.Ordinal);
        Assert.Contains("gRPC port (default 5080)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeOption_HttpsAgainstAPlaintextPort_SaysToUseHttp()
    {
        var grpc = new Uri(node.Url);

        var result = await Cli.RunAsync("entry", "0", "--node", $"https://{grpc.Host}:{grpc.Port}");

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("does not speak TLS", line, StringComparison.Ordinal);
        Assert.Contains($"http://{grpc.Host}:{grpc.Port}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeyOption_FilePath_ReadsTheKeyFromTheFile()
    {
        var file = node.WriteFile("admin.apikey", System.Text.Encoding.UTF8.GetBytes(node.AdminKey + "\n"));

        var result = await Cli.RunAsync("keys", "list", "--node", node.Url, "--api-key", file);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task KeyOption_FilePath_PinsTheKeyInTheFile()
    {
        var file = node.WriteFile("log.vkey", System.Text.Encoding.UTF8.GetBytes(node.LogKey + "\n"));

        var result = await Cli.RunAsync(node.Args(null, "checkpoint", "--key", file));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("verified: ", result.Error, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task KeysCreate_Out_WritesTheSecretMode0600AndPrintsWhere()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Path.Combine(node.NewFolder(), "submitter.apikey");

        var result = await Cli.RunAsync(node.Args(node.AdminKey, "keys", "create", "--role", "submitter", "--out", path));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var secret = File.ReadAllText(path).Trim();
        var line = Assert.Single(result.OutLines);
        Assert.Matches($"^created API key \\S+ with role submitter; its secret is in {System.Text.RegularExpressions.Regex.Escape(path)} \\(mode 0600\\)$", line);
        Assert.DoesNotContain(secret, result.Out + result.Error, StringComparison.Ordinal);
        Assert.True((await Cli.RunAsync("entry", "0", "--node", node.Url, "--api-key", path)).ExitCode == 0);
    }

    [Fact]
    public async Task KeysCreate_OutExists_RefusesWithoutForce()
    {
        var path = node.WriteFile("taken.apikey", [1]);

        var refused = await Cli.RunAsync(node.Args(node.AdminKey, "keys", "create", "--role", "submitter", "--out", path));
        var forced = await Cli.RunAsync(node.Args(node.AdminKey, "keys", "create", "--role", "submitter", "--out", path, "--force"));

        Cli.AssertUsage(refused, $"--out {path} exists; give --force to replace it");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains('.', File.ReadAllText(path));
    }

    [Fact]
    public async Task Consistency_Text_PrintsRootsAsLowercaseHex()
    {
        await node.PreserveNewAsync();
        await node.PreserveNewAsync();

        var result = await Cli.RunAsync(node.Args(null, "consistency", "1", "latest"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches("^size 1 root [0-9a-f]{64}$", result.OutLines[0]);
        Assert.Matches("^size [0-9]+ root [0-9a-f]{64}$", result.OutLines[1]);
    }

    [Fact]
    public async Task Entry_Json_HashesHexAndTheLeafLabelledBase64()
    {
        var index = await node.PreserveNewAsync();

        var result = await Cli.RunAsync(node.Args(null, "entry", index.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var entry = System.Text.Json.JsonDocument.Parse(result.Out).RootElement;
        Assert.Matches("^[0-9a-f]{64}$", entry.GetProperty("leafHash").GetString());
        Assert.Matches("^[0-9a-f]{64}$", entry.GetProperty("artefacts")[0].GetProperty("sha256").GetString());
        Assert.False(entry.TryGetProperty("leaf", out _));
        Assert.NotEmpty(Convert.FromBase64String(entry.GetProperty("leafBase64").GetString()!));
    }
}
