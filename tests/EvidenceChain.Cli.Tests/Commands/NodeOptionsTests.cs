using System.Net;
using System.Net.Sockets;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary>The node options (--node, --api-key, --api-key-file) without a node, and a node that is not there.</summary>
public sealed class NodeOptionsTests
{
    [Fact]
    public async Task NodeNotReachable_ExitsOneNamingTheAddress()
    {
        var url = $"http://127.0.0.1:{FreePort()}";

        var result = await Cli.RunAsync("entry", "0", "--node", url);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(string.Empty, result.Out);
        Assert.StartsWith($"evidencectl: cannot reach the node at {url}/: ", result.Error);
        Assert.Contains("Is it running? Give its gRPC address with --node or EVIDENCECHAIN_NODE.", result.Error);
    }

    [Fact]
    public async Task NodeNotReachable_FromEnvironment_NamesThatAddress()
    {
        var url = $"http://127.0.0.1:{FreePort()}/";

        var result = await Cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["EVIDENCECHAIN_NODE"] = url }, "checkpoint");

        Assert.StartsWith($"evidencectl: cannot reach the node at {url}: ", result.Error);
    }

    [Theory]
    [InlineData("127.0.0.1:5080")]
    [InlineData("ftp://127.0.0.1:5080")]
    [InlineData("not a url")]
    public async Task MalformedNode_ExitsTwo(string url)
    {
        Cli.AssertUsage(await Cli.RunAsync("entry", "0", "--node", url), $"--node must be an http:// or https:// URL such as http://127.0.0.1:5080; got \"{url}\"");
    }

    [Fact]
    public async Task MalformedNodeInEnvironment_ExitsTwoNamingTheVariable()
    {
        var result = await Cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["EVIDENCECHAIN_NODE"] = "nowhere" }, "entry", "0");

        Cli.AssertUsage(result, "EVIDENCECHAIN_NODE must be an http:// or https:// URL");
    }

    [Fact]
    public async Task KeyAndKeyFile_ExitsTwo()
    {
        Cli.AssertUsage(await Cli.RunAsync("keys", "list", "--api-key", "k1.s", "--api-key-file", "f"), "give --api-key or --api-key-file, not both");
    }

    [Fact]
    public async Task MissingKeyFile_ExitsTwo()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("n"));

        Cli.AssertUsage(await Cli.RunAsync("keys", "list", "--api-key-file", missing), $"--api-key-file {missing}: no such file");
    }

    [Theory]
    [InlineData("k1.hush hush")]
    [InlineData("k1.hushé")]
    public async Task KeyWithCharactersAHeaderCannotCarry_ExitsTwoWithoutEchoingIt(string key)
    {
        var result = await Cli.RunAsync("keys", "list", "--api-key", key);

        Cli.AssertUsage(result, "the API key from --api-key holds spaces or characters a header cannot carry");
        Assert.DoesNotContain("hush", result.Error);
    }

    [Fact]
    public async Task JsonOnAnOfflineCommand_ExitsTwo()
    {
        Cli.AssertUsage(await Cli.RunAsync("keygen", "--name", "x", "--out", "y", "--json"), "unknown option --json");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
