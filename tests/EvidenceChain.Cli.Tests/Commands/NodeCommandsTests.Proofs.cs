using EvidenceChain.Core.Notes;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary>proof INDEX and consistency OLD NEW: fetched from the node, verified offline.</summary>
public sealed partial class NodeCommandsTests
{
    private async Task<ulong> LatestSizeAsync() =>
        Json(await Cli.RunAsync(node.Args(null, "checkpoint", "--json"))).GetProperty("treeSize").GetUInt64();

    [Fact]
    public async Task Proof_LatestWithKey_PassesEveryStep()
    {
        var index = await node.PreserveNewAsync();

        var result = await Cli.RunAsync(node.Args(null, "proof", index.ToString(), "--key", node.LogKey));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            ["PASS checkpoint signature", "PASS leaf format", "PASS leaf identity", "PASS inclusion"],
            result.OutLines[..^1].Select(l => l[..l.IndexOf(':')]));
        Assert.StartsWith($"verified: entry {index} (leaf hash ", result.OutLines[^1]);
        Assert.DoesNotContain("NOT checked", result.Out);
    }

    [Fact]
    public async Task Proof_OlderSize_AlsoVerifiesInclusionThereAndConsistency()
    {
        var index = await node.PreserveNewAsync();
        await node.PreserveNewAsync();
        var latest = await LatestSizeAsync();

        var result = Json(await Cli.RunAsync(node.Args(null, "proof", index.ToString(), "--size", (index + 1).ToString(), "--key", node.LogKey, "--json")));

        Assert.True(result.GetProperty("verified").GetBoolean());
        Assert.Equal(index + 1, result.GetProperty("treeSize").GetUInt64());
        var steps = result.GetProperty("steps").EnumerateArray().ToList();
        Assert.All(steps, s => Assert.Equal("pass", s.GetProperty("result").GetString()));
        Assert.Equal(
            ["checkpoint signature", "leaf format", "leaf identity", "inclusion", $"inclusion at size {index + 1}", "consistency"],
            steps.Select(s => s.GetProperty("step").GetString()));
        Assert.Contains($"is a prefix of the checkpoint's tree of size {latest}", steps[^1].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Proof_NoKey_SkipsTheSignatureAndSaysSo()
    {
        var index = await node.PreserveNewAsync();

        var result = await Cli.RunAsync(node.Args(null, "proof", index.ToString()));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("SKIP checkpoint signature: no --key given", result.OutLines[0]);
        Assert.StartsWith("PASS inclusion: ", result.OutLines[1]);
        Assert.EndsWith(", signature NOT checked", result.OutLines[^1]);
    }

    [Fact]
    public async Task Proof_OtherKey_ExitsOneWithTheFailedStep()
    {
        var index = await node.PreserveNewAsync();
        var impostor = NoteSigner.FromSeed(NoteVerifier.Parse(node.LogKey).Name, new byte[NoteSigner.SeedSize]).VerifierKey.ToString();

        var result = await Cli.RunAsync(node.Args(null, "proof", index.ToString(), "--key", impostor));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("FAIL checkpoint signature: not signed by the log key", result.OutLines[0]);
        Assert.StartsWith("FAILED: checkpoint signature: ", result.OutLines[^1]);
    }

    [Fact]
    public async Task Proof_SizeBeyondTheTree_ExitsOneOutOfRange()
    {
        await node.PreserveNewAsync();

        var result = await Cli.RunAsync(node.Args(null, "proof", "0", "--size", "999999", "--key", node.LogKey));

        Cli.AssertNodeError(result, "OutOfRange", "tree_size 999999 is beyond the latest checkpoint's size");
    }

    [Fact]
    public async Task Proof_SizeNotAboveIndex_ExitsOneOutOfRange()
    {
        await node.PreserveNewAsync();
        var index = await node.PreserveNewAsync();

        var result = await Cli.RunAsync(node.Args(null, "proof", index.ToString(), "--size", index.ToString()));

        Cli.AssertNodeError(result, "OutOfRange", $"Entry {index} is not in the tree of size {index}");
    }

    [Fact]
    public async Task Proof_UnknownIndex_ExitsOneNotFound()
    {
        Cli.AssertNodeError(await Cli.RunAsync(node.Args(null, "proof", "999999")), "NotFound", "Entry 999999 does not exist");
    }

    [Theory]
    [InlineData("--size", "0", "--size must be at least 1")]
    [InlineData("--size", "x", "--size must be a whole number")]
    [InlineData("--key", "bad", "--key \"bad\" is not a verifier key")]
    public async Task Proof_BadOption_ExitsTwo(string option, string value, string message)
    {
        Cli.AssertUsage(await Cli.RunAsync(node.Args(null, "proof", "0", option, value)), message);
    }

    [Fact]
    public async Task Proof_NoIndex_ExitsTwo()
    {
        Cli.AssertUsage(await Cli.RunAsync(node.Args(null, "proof")), "proof needs an entry INDEX");
    }

    [Fact]
    public async Task Consistency_OldToLatest_Verifies()
    {
        await node.PreserveNewAsync();
        await node.PreserveNewAsync();
        var latest = await LatestSizeAsync();

        var result = await Cli.RunAsync(node.Args(null, "consistency", "1", "latest", "--key", node.LogKey));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("size 1 root ", result.OutLines[0]);
        Assert.StartsWith($"size {latest} root ", result.OutLines[1]);
        Assert.StartsWith("PASS checkpoint signature: ", result.OutLines[2]);
        Assert.StartsWith($"PASS consistency 1 -> {latest}: ", result.OutLines[3]);
        Assert.StartsWith("PASS checkpoint root: ", result.OutLines[4]);
        Assert.Equal($"verified: the tree of size 1 is a prefix of the tree of size {latest}", result.OutLines[5]);
    }

    [Fact]
    public async Task Consistency_OlderNewSize_IsTiedToTheCheckpointByASecondProof()
    {
        await node.PreserveNewAsync();
        await node.PreserveNewAsync();
        var latest = await LatestSizeAsync();

        var result = Json(await Cli.RunAsync(node.Args(null, "consistency", "1", (latest - 1).ToString(), "--key", node.LogKey, "--json")));

        Assert.True(result.GetProperty("verified").GetBoolean());
        Assert.Equal(
            ["checkpoint signature", $"consistency 1 -> {latest - 1}", $"consistency {latest - 1} -> {latest}"],
            result.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
    }

    [Fact]
    public async Task Consistency_NewBeyondTheTree_ExitsOneOutOfRange()
    {
        var result = await Cli.RunAsync(node.Args(null, "consistency", "1", "999999"));

        Cli.AssertNodeError(result, "OutOfRange", "size2 999999 is beyond the latest checkpoint's size");
    }

    [Fact]
    public async Task Consistency_OldAboveNew_ExitsTwoInvalidArgument()
    {
        await node.PreserveNewAsync();
        await node.PreserveNewAsync();

        var result = await Cli.RunAsync(node.Args(null, "consistency", "2", "1"));

        Cli.AssertNodeError(result, "InvalidArgument", "Need 1 <= size1 <= size2; got size1 2, size2 1", exitCode: 2);
    }

    [Theory]
    [InlineData("x", "1", "OLD must be a whole number")]
    [InlineData("1", "newest", "NEW must be a whole number")]
    [InlineData("1", "0", "NEW must be at least 1")]
    public async Task Consistency_BadSizes_ExitsTwo(string old, string @new, string message)
    {
        Cli.AssertUsage(await Cli.RunAsync(node.Args(null, "consistency", old, @new)), message);
    }
}
