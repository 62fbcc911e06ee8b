using EvidenceChain.Core.Notes;
using FsCheck;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Notes;

public sealed class CheckpointTests
{
    // The example body from c2sp.org/tlog-checkpoint.
    private const string SpecExample = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    private const string Root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

    [Fact]
    public void Parse_SpecExample_ReadsFieldsAndRoundTrips()
    {
        var checkpoint = Checkpoint.Parse(SpecExample);

        Assert.Equal("example.com/behind-the-sofa", checkpoint.Origin);
        Assert.Equal(20852163UL, checkpoint.Size);
        Assert.Equal(Root, checkpoint.Root.ToBase64());
        Assert.Empty(checkpoint.Extensions);
        Assert.Equal(SpecExample, checkpoint.ToNoteText());
    }

    [Fact]
    public void ToNoteText_WithExtensions_OneLineEach()
    {
        var root = Checkpoint.Parse(SpecExample).Root;

        var checkpoint = new Checkpoint("o", 0, root, ["ext one", "— two"]);

        Assert.Equal($"o\n0\n{Root}\next one\n— two\n", checkpoint.ToNoteText());
        Assert.Equal(checkpoint, Checkpoint.Parse(checkpoint.ToNoteText()));
    }

    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("1", 1UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void Parse_SizeEdgeCases_Accepted(string size, ulong expected)
    {
        Assert.Equal(expected, Checkpoint.Parse($"o\n{size}\n{Root}\n").Size);
    }

    [Theory]
    [InlineData("o\n007\n" + Root + "\n", "leading zero")]
    [InlineData("o\n00\n" + Root + "\n", "leading zero")]
    [InlineData("o\n-1\n" + Root + "\n", "plain decimal")]
    [InlineData("o\n+1\n" + Root + "\n", "plain decimal")]
    [InlineData("o\n 1\n" + Root + "\n", "plain decimal")]
    [InlineData("o\n1 \n" + Root + "\n", "plain decimal")]
    [InlineData("o\n1,000\n" + Root + "\n", "plain decimal")]
    [InlineData("o\n0x10\n" + Root + "\n", "plain decimal")]
    [InlineData("o\n\u0661\n" + Root + "\n", "plain decimal")]
    [InlineData("o\n18446744073709551616\n" + Root + "\n", "exceeds")]
    [InlineData("o\n99999999999999999999999\n" + Root + "\n", "exceeds")]
    [InlineData("o\n\n" + Root + "\n", "empty")]
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n", "root")]
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2IA\n", "root")]
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", "root")]
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", "root")]
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2f B2MPA3j2jxq2I=\n", "root")]
    [InlineData("o\n1\n0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62\n", "root")]
    [InlineData("o\n1\n" + Root, "newline")]
    [InlineData("o\n1\n" + Root + "\n\n", "extension line 4 is empty")]
    [InlineData("o\n1\n" + Root + "\next\n\nmore\n", "extension line 5 is empty")]
    [InlineData("\n1\n" + Root + "\n", "origin")]
    [InlineData("o\n1\n", "2 lines")]
    [InlineData("o\n", "1 lines")]
    [InlineData("", "empty")]
    [InlineData("o\t\n1\n" + Root + "\n", "control")]
    [InlineData("o\r\n1\r\n" + Root + "\r\n", "control")]
    public void TryParse_Malformed_FailsWithReason(string text, string reason)
    {
        Assert.False(Checkpoint.TryParse(text, out var checkpoint, out var error));
        Assert.Null(checkpoint);
        Assert.Contains(reason, error);
        Assert.Throws<FormatException>(() => Checkpoint.Parse(text));
    }

    [Fact]
    public void TryParse_RootOf31Bytes_Fails()
    {
        var root31 = Convert.ToBase64String(new byte[31]);

        Assert.False(Checkpoint.TryParse($"o\n1\n{root31}\n", out _, out var error));
        Assert.Contains("32 bytes", error);
    }

    [Fact]
    public void TryParse_Null_FailsWithoutThrowing()
    {
        Assert.False(Checkpoint.TryParse(null, out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\nb")]
    [InlineData("a\tb")]
    public void Constructor_InvalidOrigin_ThrowsArgumentException(string origin)
    {
        Assert.Throws<ArgumentException>(() => new Checkpoint(origin, 1, default));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\nb")]
    [InlineData("a\0")]
    public void Constructor_InvalidExtension_ThrowsArgumentException(string extension)
    {
        Assert.Throws<ArgumentException>(() => new Checkpoint("o", 1, default, [extension]));
        Assert.Throws<ArgumentException>(() => new Checkpoint("o", 1, default, ["ok", null!]));
    }

    [Fact]
    public void Extensions_CopiedAndReadOnly()
    {
        var source = new List<string> { "a" };
        var checkpoint = new Checkpoint("o", 1, default, source);

        source[0] = "changed";

        Assert.Equal("a", Assert.Single(checkpoint.Extensions));
        Assert.IsNotType<string[]>(checkpoint.Extensions);
        Assert.IsNotType<List<string>>(checkpoint.Extensions);
    }

    [Fact]
    public void Equals_DifferentField_NotEqual()
    {
        var a = new Checkpoint("o", 1, default);

        Assert.Equal(a, new Checkpoint("o", 1, default, []));
        Assert.Equal(a.GetHashCode(), new Checkpoint("o", 1, default, []).GetHashCode());
        Assert.NotEqual(a, new Checkpoint("p", 1, default));
        Assert.NotEqual(a, new Checkpoint("o", 2, default));
        Assert.NotEqual(a, new Checkpoint("o", 1, Checkpoint.Parse(SpecExample).Root));
        Assert.NotEqual(a, new Checkpoint("o", 1, default, ["x"]));
    }

    [Property(MaxTest = 500)]
    public void ToNoteText_ThenParse_RoundTripsExactly(
        NonEmptyString origin, ulong size, ulong r0, ulong r1, ulong r2, ulong r3, NonEmptyString[] extensions)
    {
        var rootBytes = new byte[Hash.Size];
        BitConverter.TryWriteBytes(rootBytes.AsSpan(0), r0);
        BitConverter.TryWriteBytes(rootBytes.AsSpan(8), r1);
        BitConverter.TryWriteBytes(rootBytes.AsSpan(16), r2);
        BitConverter.TryWriteBytes(rootBytes.AsSpan(24), r3);
        var checkpoint = new Checkpoint(
            AsLine(origin.Get), size, new Hash(rootBytes), (extensions ?? []).Select(e => AsLine(e.Get)));

        var text = checkpoint.ToNoteText();
        var parsed = Checkpoint.Parse(text);

        Assert.Equal(checkpoint, parsed);
        Assert.Equal(text, parsed.ToNoteText());
    }

    [Property(MaxTest = 500)]
    public void TryParse_ArbitraryText_NeverThrows(string? text)
    {
        if (Checkpoint.TryParse(text, out var checkpoint, out _))
        {
            Assert.Equal(text, checkpoint.ToNoteText());
        }
    }

    /// <summary>Turns arbitrary text into a valid single line by replacing controls and lone surrogates.</summary>
    private static string AsLine(string text)
    {
        var chars = text.Select(c => c < 0x20 || char.IsSurrogate(c) ? 'x' : c).ToArray();
        return chars.Length == 0 ? "x" : new string(chars);
    }
}
