using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Proofs;
using EvidenceChain.Testing.Arbitraries;
using FsCheck;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Proofs;

public sealed class TlogProofTests
{
    private static readonly NoteSigner Log = NoteSigner.FromSeed("proof.test/log", Enumerable.Repeat((byte)5, NoteSigner.SeedSize).ToArray());
    private static readonly string Signed = CheckpointNote.Sign(new Checkpoint("proof.test/log", 5, Hash(9)), Log);

    private static Hash Hash(byte fill) => new(Enumerable.Repeat(fill, EvidenceChain.Core.Hash.Size).ToArray());

    private static string Valid(string hashes = "") =>
        $"c2sp.org/tlog-proof@v1\nindex 3\n{hashes}\n{Signed}";

    [Fact]
    public void Encode_SpecLayout_IsExact()
    {
        var proof = new TlogProof(3, [Hash(1), Hash(2)], Signed, "ab"u8);

        Assert.Equal(
            $"c2sp.org/tlog-proof@v1\nextra YWI=\nindex 3\n{Hash(1).ToBase64()}\n{Hash(2).ToBase64()}\n\n{Signed}",
            proof.Encode());
        Assert.Equal("proof.test/log\n5\n" + Hash(9).ToBase64() + "\n", proof.CheckpointText);
    }

    [Property(Arbitrary = [typeof(MerkleArbitraries)], MaxTest = 300)]
    public void Encode_ThenParse_RoundTripsExactly(ulong index, Hash[] hashes, byte[]? extra)
    {
        var path = (hashes ?? []).Take(TlogProof.MaxHashes).ToArray();
        var proof = new TlogProof(index, path, Signed, extra);

        var text = proof.Encode();
        var parsed = TlogProof.Parse(proof.ToBytes());

        Assert.Equal(index, parsed.Index);
        Assert.Equal(path, parsed.Hashes.ToArray());
        Assert.Equal(Signed, parsed.Checkpoint);
        Assert.Equal(extra is { Length: > 0 }, parsed.HasExtra);
        Assert.Equal(extra ?? [], parsed.Extra.ToArray());
        Assert.Equal(text, parsed.Encode());
    }

    [Property(MaxTest = 500)]
    public void TryParse_ArbitraryText_NeverThrowsAndRoundTripsWhatItAccepts(string? text)
    {
        if (TlogProof.TryParse(text, out var proof, out _))
        {
            Assert.Equal(text, proof.Encode());
        }
    }

    [Property(MaxTest = 300)]
    public void TryParse_AnyChangedByteOfTheHeaderPart_IsRefusedOrChangesTheProof(PositiveInt at, byte xor)
    {
        var text = new TlogProof(3, [Hash(1), Hash(2)], Signed).Encode();
        var header = text.IndexOf("\n\n", StringComparison.Ordinal);
        var i = at.Get % header;
        var changed = text[..i] + (char)(text[i] ^ (xor | 1)) + text[(i + 1)..];

        if (TlogProof.TryParse(changed, out var proof, out _))
        {
            Assert.NotEqual(text, proof.Encode());
        }
    }

    [Theory]
    [InlineData("", "the text is empty")]
    [InlineData("c2sp.org/tlog-proof@v2\nindex 3\n\n", "line 1 must be c2sp.org/tlog-proof@v1")]
    [InlineData("C2SP.org/tlog-proof@v1\nindex 3\n\n", "line 1 must be")]
    [InlineData("c2sp.org/tlog-proof@v1", "line 1 must be")]
    [InlineData("c2sp.org/tlog-proof@v1\n", "ends after line 1")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 03\n\n", "line 2 must be \"index N\"")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex -3\n\n", "line 2 must be \"index N\"")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex +3\n\n", "line 2 must be \"index N\"")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 18446744073709551616\n\n", "line 2 must be \"index N\"")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex  3\n\n", "line 2 must be \"index N\"")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 3\r\n\n", "line 2 must be \"index N\"")]
    [InlineData("c2sp.org/tlog-proof@v1\nIndex 3\n\n", "line 2 must be \"index N\"")]
    [InlineData("c2sp.org/tlog-proof@v1\nextra \nindex 3\n\n", "line 2: the extra data")]
    [InlineData("c2sp.org/tlog-proof@v1\nextra YWI\nindex 3\n\n", "line 2: the extra data")]
    [InlineData("c2sp.org/tlog-proof@v1\nextra YWJ=\nindex 3\n\n", "line 2: the extra data")]
    [InlineData("c2sp.org/tlog-proof@v1\nextra YWI=\n", "ends after line 2")]
    [InlineData("c2sp.org/tlog-proof@v1\nextra YWI=\nextra YWI=\nindex 3\n\n", "line 3 must be \"index N\"")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 3\nAQID\n\n", "line 3: \"AQID\" is not a proof hash")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 3\n0101010101010101010101010101010101010101010101010101010101010101\n\n", "line 3:")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 3\n", "an empty line and the checkpoint must follow")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 3\n\n", "the checkpoint from line 4: it is missing")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 3\n\no\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", "not a signed note")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 3\n\no\n1\n\n— o x", "does not end with a newline")]
    public void Parse_Malformed_SaysWhichLineAndWhy(string text, string reason)
    {
        var e = Assert.Throws<FormatException>(() => TlogProof.Parse(text));

        Assert.StartsWith("Not a tlog-proof: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HashWithWhiteSpaceOrUnpadded_IsRefused()
    {
        var hash = Hash(1).ToBase64();

        Assert.True(TlogProof.TryParse(Valid(hash + "\n"), out _, out _));
        Assert.False(TlogProof.TryParse(Valid(" " + hash + "\n"), out _, out _));
        Assert.False(TlogProof.TryParse(Valid(hash.TrimEnd('=') + "\n"), out _, out _));
        Assert.False(TlogProof.TryParse(Valid(hash + " \n"), out _, out _));
    }

    [Fact]
    public void Parse_TooManyHashes_IsRefused()
    {
        var hashes = string.Concat(Enumerable.Repeat(Hash(1).ToBase64() + "\n", TlogProof.MaxHashes + 1));

        var e = Assert.Throws<FormatException>(() => TlogProof.Parse(Valid(hashes)));

        Assert.Contains("more than 64 proof hashes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotUtf8_IsRefused()
    {
        var bytes = new TlogProof(3, [], Signed).ToBytes();
        bytes[^5] = 0xff;

        var e = Assert.Throws<FormatException>(() => TlogProof.Parse(bytes));

        Assert.Contains("not UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SpecExampleShape_IsRead()
    {
        // The layout of the example in c2sp.org/tlog-proof, with our own checkpoint in place of the elided one.
        var text = $"c2sp.org/tlog-proof@v1\nextra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6\nindex 73894\ngSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=\nB95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=\n\n{Signed}";

        var proof = TlogProof.Parse(text);

        Assert.Equal(73894UL, proof.Index);
        Assert.Equal(2, proof.Hashes.Length);
        Assert.Equal("age-v1.2.1-darwin-arm64.tar.gz", System.Text.Encoding.ASCII.GetString(proof.Extra));
    }

    [Fact]
    public void Constructor_BadInputs_Throw()
    {
        Assert.Throws<ArgumentException>(() => new TlogProof(0, [], "o\n1\nx\n"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TlogProof(0, new Hash[65], Signed));
        Assert.Throws<ArgumentNullException>(() => new TlogProof(0, null!, Signed));
    }
}
