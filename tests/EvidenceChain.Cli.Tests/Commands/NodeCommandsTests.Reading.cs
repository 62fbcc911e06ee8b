using System.Security.Cryptography;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary>entry, find and checkpoint.</summary>
public sealed partial class NodeCommandsTests
{
    [Fact]
    public async Task Entry_Existing_PrintsItsFields()
    {
        var entry = await node.PreserveAsync(node.WriteFile("photo.jpg", [1, 2, 3, 4]));
        var index = entry.GetProperty("index").GetUInt64().ToString();

        var result = await Cli.RunAsync(node.Args(null, "entry", index));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"entry {index} of ", result.OutLines[0]);
        Assert.Contains($"  leaf hash    {entry.GetProperty("leafHash").GetString()}", result.OutLines);
        Assert.Contains("  kind         file", result.OutLines);
        Assert.Contains("  artefact     file (image/jpeg, 4 bytes)", result.OutLines);
        Assert.Contains(result.OutLines, l => l.StartsWith("  file-name    (committed) commit-sha256:", StringComparison.Ordinal));
        Assert.DoesNotContain("photo.jpg", result.Out, StringComparison.Ordinal);

        var disclosed = await Cli.RunAsync(node.Args(node.SubmitterKey, "entry", index));
        Assert.Contains("  file-name    photo.jpg  (committed; disclosed to this key)", disclosed.OutLines);
        Assert.Contains($"    sha256     {Convert.ToHexStringLower(SHA256.HashData(new byte[] { 1, 2, 3, 4 }))}", result.OutLines);
    }

    [Fact]
    public async Task Entry_UnknownIndex_ExitsOneNotFound()
    {
        Cli.AssertNodeError(await Cli.RunAsync(node.Args(null, "entry", "999999")), "NotFound", "Entry 999999 does not exist");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("x")]
    [InlineData("18446744073709551616")]
    public async Task Entry_IndexNotANumber_ExitsTwo(string index)
    {
        Cli.AssertUsage(await Cli.RunAsync(node.Args(null, "entry", index)), "INDEX must be a whole number");
    }

    [Fact]
    public async Task Find_ByFile_ListsTheEntry()
    {
        var path = node.WriteFile("contract.pdf", Guid.NewGuid().ToByteArray());
        var entry = await node.PreserveAsync(path);

        var result = await Cli.RunAsync(node.Args(null, "find", path));

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.OutLines);
        Assert.StartsWith($"entry {entry.GetProperty("index").GetUInt64()}  ", line);
        Assert.EndsWith($"leaf hash {entry.GetProperty("leafHash").GetString()}  file", line);
        Assert.DoesNotContain("contract.pdf", line, StringComparison.Ordinal); // the file name is a commitment in the public log
    }

    [Fact]
    public async Task Find_BySha256Json_ListsEveryEntryOldestFirst()
    {
        var content = Guid.NewGuid().ToByteArray();
        var first = await node.PreserveAsync(node.WriteFile("one.bin", content));
        var second = await node.PreserveAsync(node.WriteFile("two.bin", content));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));

        var result = Json(await Cli.RunAsync(node.Args(null, "find", "--sha256", sha256.ToUpperInvariant(), "--json")));

        Assert.Equal(sha256, result.GetProperty("digest").GetString());
        Assert.Equal(
            [first.GetProperty("index").GetUInt64(), second.GetProperty("index").GetUInt64()],
            result.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("index").GetUInt64()));
    }

    [Fact]
    public async Task Find_UnknownDigest_ExitsOneSayingSo()
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Guid.NewGuid().ToByteArray()));

        var result = await Cli.RunAsync(node.Args(null, "find", "--sha256", sha256));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal($"no entry lists an artefact with SHA-256 {sha256}\n", result.Out);
    }

    [Fact]
    public async Task Find_Sm3OnANodeWithoutSm3_ExitsOne()
    {
        var result = await Cli.RunAsync(node.Args(null, "find", "--sm3", new string('a', 64)));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("no entry lists an artefact with SM3 aaaa", result.Out);
    }

    [Theory]
    [InlineData("--sha256", "abc")]
    [InlineData("--sha256", "zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("--sm3", "0000000000000000000000000000000000000000000000000000000000000000ff")]
    public async Task Find_MalformedHex_ExitsTwo(string option, string hex)
    {
        Cli.AssertUsage(await Cli.RunAsync(node.Args(null, "find", option, hex)), $"{option} must be a hash as 64 hex digits");
    }

    [Fact]
    public async Task Find_FileAndDigest_ExitsTwo()
    {
        var result = await Cli.RunAsync(node.Args(null, "find", node.WriteFile("a", [1]), "--sha256", new string('0', 64)));

        Cli.AssertUsage(result, "find needs exactly one of FILE, --sha256 HEX and --sm3 HEX");
    }

    [Fact]
    public async Task Find_NonexistentFile_ExitsTwo()
    {
        var missing = Path.Combine(node.NewFolder(), "nope");

        Cli.AssertUsage(await Cli.RunAsync(node.Args(null, "find", missing)), $"{missing}: no such file");
    }

    [Fact]
    public async Task Checkpoint_NoKey_PrintsTheSignedNoteThatNoteVerifyAccepts()
    {
        await node.PreserveNewAsync();

        var result = await Cli.RunAsync(node.Args(null, "checkpoint"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.Error);
        Assert.True(CheckpointNote.Open(result.Out, NoteVerifier.Parse(node.LogKey)).IsValid, result.Out);
        Cli.AssertVerified(await Cli.RunWithInputAsync(result.Out, "note", "verify", "--key", node.LogKey));
    }

    [Fact]
    public async Task Checkpoint_WithKey_VerifiesOnStderr()
    {
        var result = await Cli.RunAsync(node.Args(null, "checkpoint", "--key", node.LogKey));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("verified: ", result.Error);
        Assert.Contains("\n\n— ", result.Out);
    }

    [Fact]
    public async Task Checkpoint_OtherKeyOfTheSameName_ExitsOneFailed()
    {
        var origin = NoteVerifier.Parse(node.LogKey).Name;
        var impostor = NoteSigner.FromSeed(origin, new byte[NoteSigner.SeedSize]).VerifierKey.ToString();

        var result = await Cli.RunAsync(node.Args(null, "checkpoint", "--key", impostor, "--json"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("\"verified\": false", result.Out);
        Assert.Contains("not signed by the log key", result.Out);
    }

    [Fact]
    public async Task Checkpoint_MalformedKey_ExitsTwo()
    {
        Cli.AssertUsage(await Cli.RunAsync(node.Args(null, "checkpoint", "--key", "nokey")), "--key \"nokey\" is not a verifier key");
    }
}
