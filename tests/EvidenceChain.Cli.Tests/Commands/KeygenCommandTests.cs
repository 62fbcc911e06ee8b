using EvidenceChain.Core.Notes;
using EvidenceChain.Storage;
using EvidenceChain.Testing;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary><c>keygen</c>: key files, their modes, refusal to overwrite, and that the keys work with <c>note verify</c>.</summary>
public sealed class KeygenCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Keygen_NewFolder_PrintsVerifierKeyAndWritesBothFiles()
    {
        var dir = _temp.Sub("keys");

        var result = await Cli.RunAsync("keygen", "--name", "example.org/log", "--out", dir);

        Assert.True(result.ExitCode == 0, result.ToString());
        var printed = Assert.Single(result.OutLines);
        var verifier = NoteVerifier.Parse(printed);
        Assert.Equal("example.org/log", verifier.Name);
        Assert.Equal(printed + "\n", File.ReadAllText(Path.Combine(dir, LogKeyFiles.VerifierKeyFile)));
        Assert.Equal(verifier, LogKeyFiles.Load(Path.Combine(dir, LogKeyFiles.PrivateKeyFile)).VerifierKey);
        Assert.Contains($"private key: {Path.Combine(dir, LogKeyFiles.PrivateKeyFile)} (mode 0600)", result.Error, StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task Keygen_PrivateKeyFile_IsMode0600()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var dir = _temp.Sub("keys");

        var result = await Cli.RunAsync("keygen", "--name", "example.org/log", "--out", dir);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, LogKeyFiles.PrivateKeyFile)));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(Path.Combine(dir, LogKeyFiles.VerifierKeyFile)));
    }

    [Fact]
    public async Task Keygen_TwoRuns_MakeDifferentKeys()
    {
        var first = await Cli.RunAsync("keygen", "--name", "example.org/log", "--out", _temp.Sub("a"));
        var second = await Cli.RunAsync("keygen", "--name", "example.org/log", "--out", _temp.Sub("b"));

        Assert.NotEqual(first.OutLines[0], second.OutLines[0]);
    }

    [Fact]
    public async Task Keygen_SecondRunSameFolder_ExitsTwoAndKeepsKeys()
    {
        var dir = _temp.Sub("keys");
        await Cli.RunAsync("keygen", "--name", "example.org/log", "--out", dir);
        var before = File.ReadAllText(Path.Combine(dir, LogKeyFiles.PrivateKeyFile));

        var result = await Cli.RunAsync("keygen", "--name", "example.org/log", "--out", dir);

        Cli.AssertUsage(result, $"{dir} already holds a key; refusing to overwrite it");
        Assert.Equal(before, File.ReadAllText(Path.Combine(dir, LogKeyFiles.PrivateKeyFile)));
    }

    [Fact]
    public async Task Keygen_OnlyVerifierKeyPresent_ExitsTwo()
    {
        var dir = _temp.Sub("keys");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, LogKeyFiles.VerifierKeyFile), "x\n");

        var result = await Cli.RunAsync("keygen", "--name", "example.org/log", "--out", dir);

        Cli.AssertUsage(result, "already holds a key");
        Assert.False(File.Exists(Path.Combine(dir, LogKeyFiles.PrivateKeyFile)));
    }

    [Fact]
    public async Task Keygen_NoteSignedWithWrittenKey_VerifiesWithPrintedKey()
    {
        var dir = _temp.Sub("keys");
        var keygen = await Cli.RunAsync("keygen", "--name", "example.org/log", "--out", dir);
        var signer = LogKeyFiles.Load(Path.Combine(dir, LogKeyFiles.PrivateKeyFile));
        var note = signer.Sign("example.org/log\n1\nBVsGg3fbqE3mT1oVH8mnzcx5G9trPDS6YhPQi2Ni5GM=\n");

        var result = await Cli.RunWithInputAsync(note, "note", "verify", "--key", keygen.OutLines[0]);

        Cli.AssertVerified(result);
        Assert.Equal($"verified: signed by example.org/log+{signer.KeyId:x8}", result.OutLines[0]);
    }

    [Fact]
    public async Task Keygen_NoteSignedWithOtherKeygenKey_FailsWithPrintedKey()
    {
        var keygen = await Cli.RunAsync("keygen", "--name", "example.org/log", "--out", _temp.Sub("a"));
        await Cli.RunAsync("keygen", "--name", "example.org/log", "--out", _temp.Sub("b"));
        var other = LogKeyFiles.Load(Path.Combine(_temp.Sub("b"), LogKeyFiles.PrivateKeyFile));

        var result = await Cli.RunWithInputAsync(other.Sign("example.org/log\n1\n"), "note", "verify", "--key", keygen.OutLines[0]);

        Cli.AssertFailed(result, "no signature by a known key");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a+b")]
    public async Task Keygen_InvalidName_ExitsTwoQuotingName(string name)
    {
        var dir = _temp.Sub("keys");

        var result = await Cli.RunAsync("keygen", "--name", name, "--out", dir);

        Cli.AssertUsage(result, $"--name \"{name}\" cannot name a key");
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task Keygen_MissingName_ExitsTwo()
    {
        var result = await Cli.RunAsync("keygen", "--out", _temp.Sub("keys"));

        Cli.AssertUsage(result, "--name is required");
    }

    [Fact]
    public async Task Keygen_MissingOut_ExitsTwo()
    {
        var result = await Cli.RunAsync("keygen", "--name", "example.org/log");

        Cli.AssertUsage(result, "--out is required");
    }

    [Fact]
    public async Task Keygen_OutIsAFile_ExitsTwo()
    {
        var file = _temp.Sub("file");
        File.WriteAllText(file, "not a folder");

        var result = await Cli.RunAsync("keygen", "--name", "example.org/log", "--out", file);

        Cli.AssertUsage(result, $"cannot write keys to {file}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\0b")]
    public async Task Keygen_OutNotAPath_ExitsTwo(string dir)
    {
        var result = await Cli.RunAsync("keygen", "--name", "example.org/log", "--out", dir);

        Cli.AssertUsage(result, $"cannot write keys to {dir}");
    }

    [Fact]
    public async Task Keygen_ExtraPositional_ExitsTwo()
    {
        var result = await Cli.RunAsync("keygen", "--name", "example.org/log", "--out", _temp.Sub("keys"), "now");

        Cli.AssertUsage(result, "unexpected argument \"now\"");
        Assert.False(Directory.Exists(_temp.Sub("keys")));
    }
}
