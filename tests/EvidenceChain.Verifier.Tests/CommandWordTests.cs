using EvidenceChain.Verifier.Internal;

namespace EvidenceChain.Verifier.Tests;

/// <summary>File names as one argument that cmd, PowerShell and a POSIX shell all read as the same word.</summary>
public sealed class CommandWordTests
{
    [Theory]
    [InlineData("case-c3617d923a9727e3c.zip", "case-c3617d923a9727e3c.zip")]
    [InlineData("events/entry-5.evidence.zip", "events/entry-5.evidence.zip")]
    [InlineData("a+b_c.zip", "a+b_c.zip")]
    [InlineData("Li v Zhang.zip", "\"Li v Zhang.zip\"")]
    [InlineData("案件 (1).zip", "\"案件 (1).zip\"")]
    [InlineData("a&b;c|d.zip", "\"a&b;c|d.zip\"")]
    [InlineData("it's.zip", "\"it's.zip\"")]
    public void TryWrite_ANameEveryShellReadsAlike_PlainOrDoubleQuoted(string name, string expected)
    {
        Assert.True(CommandWord.TryWrite(name, out var word));
        Assert.Equal(expected, word);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-x.zip")]
    [InlineData("a\"b.zip")]
    [InlineData("$HOME.zip")]
    [InlineData("a`b.zip")]
    [InlineData("a\\b.zip")]
    [InlineData("100%.zip")]
    [InlineData("wow!.zip")]
    [InlineData("a\nb.zip")]
    public void TryWrite_ANameSomeShellExpandsOrSplits_False(string name) =>
        Assert.False(CommandWord.TryWrite(name, out _));
}
