using EvidenceChain.Core.Notes;

namespace EvidenceChain.Core.Tests.Notes;

public sealed class WitnessKeyTests
{
    // A public witness's cosignature/v1 vkey, accepted in TestCoSigV1NewVerifier of
    // github.com/transparency-dev/formats note/note_cosigv1_test.go. Its key ID, recomputed:
    //   echo BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2 | base64 -d | (printf 'remora.n621.de\n'; cat) | sha256sum | cut -c1-8
    private const string RemoraVkey = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";

    [Fact]
    public void Parse_PublicWitnessVkey_RoundTrips()
    {
        var key = WitnessKey.Parse(RemoraVkey);

        Assert.Equal("remora.n621.de", key.Name);
        Assert.Equal(0xda77ade7u, key.KeyId);
        Assert.Equal(RemoraVkey, key.ToString());
    }

    [Fact]
    public void Parse_UppercaseKeyId_GivesCanonicalLowercase()
    {
        Assert.Equal(RemoraVkey, WitnessKey.Parse(RemoraVkey.Replace("da77ade7", "DA77ADE7", StringComparison.Ordinal)).ToString());
    }

    [Theory]
    [InlineData("remora.n621.de+da77ade8+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2", "does not match")]
    [InlineData("remora.n621.de+da77ade+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2", "eight hex digits")]
    [InlineData("remora.n621.de+da77ade7", "name+hex8+base64")]
    [InlineData("remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw", "canonical")]
    [InlineData("remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmg==", "32 bytes")]
    [InlineData("remora.n621.de+da77ade7+", "canonical")]
    [InlineData("+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2", "empty")]
    [InlineData("remora n621+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2", "white space")]
    [InlineData("remora.n621.de+da77ade7+BuvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2", "0x06")]
    public void TryParse_Malformed_ReturnsReason(string text, string reason)
    {
        Assert.False(WitnessKey.TryParse(text, out var key, out var error));
        Assert.Null(key);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => WitnessKey.Parse(text));
    }

    [Fact]
    public void TryParse_CheckpointKey_IsRefusedAsLogKey()
    {
        var logKey = NoteSigner.FromSeed("example.com/log", NoteKeyTests.FixedSeed).VerifierKey.ToString();

        Assert.False(WitnessKey.TryParse(logKey, out _, out var error));
        Assert.Contains("checkpoint (log) key", error, StringComparison.Ordinal);
        Assert.False(WitnessKey.TryParse(null, out _));
    }

    [Fact]
    public void NoteVerifier_WitnessVkey_IsRefused()
    {
        Assert.False(NoteVerifier.TryParse(RemoraVkey, out _));
    }

    [Fact]
    public void Equals_SameNameAndKey_AreEqual()
    {
        var a = WitnessKey.Parse(RemoraVkey);
        var b = WitnessKey.FromPublicKey("remora.n621.de", a.PublicKey);
        var c = WitnessKey.FromPublicKey("remora.n621.de/other", a.PublicKey);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.NotEqual(a.KeyId, c.KeyId);
        Assert.False(a.Equals(null));
    }

    [Fact]
    public void FromPublicKey_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => WitnessKey.FromPublicKey("w", new byte[31]));
        Assert.Throws<ArgumentException>(() => WitnessKey.FromPublicKey("a+b", new byte[32]));
        Assert.Throws<ArgumentException>(() => WitnessSigner.FromSeed("w", new byte[16]));
        Assert.Throws<ArgumentException>(() => WitnessSigner.FromSeed("", new byte[32]));
    }

    [Fact]
    public void WitnessSigner_Parse_RoundTripsPrivateKey()
    {
        var signer = WitnessSigner.FromSeed("witness.example/w1", NoteKeyTests.FixedSeed);

        var parsed = WitnessSigner.Parse(signer.ToPrivateKeyString());

        Assert.Equal(signer.Key, parsed.Key);
        Assert.Equal(signer.ToPrivateKeyString(), parsed.ToPrivateKeyString());
    }

    [Fact]
    public void WitnessSigner_Parse_LogPrivateKeyOrWrongKeyId_IsRefusedWithoutEchoingSecret()
    {
        var logKey = NoteSigner.FromSeed("example.com/log", NoteKeyTests.FixedSeed).ToPrivateKeyString();
        var witnessKey = WitnessSigner.FromSeed("witness.example/w1", NoteKeyTests.FixedSeed).ToPrivateKeyString();
        var wrongId = witnessKey.Replace("+e75f6532+", "+e75f6533+", StringComparison.Ordinal);
        var secret = witnessKey[(witnessKey.LastIndexOf('+') + 1)..];

        var fromLog = Assert.Throws<FormatException>(() => WitnessSigner.Parse(logKey));
        var fromWrongId = Assert.Throws<FormatException>(() => WitnessSigner.Parse(wrongId));
        Assert.Throws<FormatException>(() => WitnessSigner.Parse("witness.example/w1+e75f6532+" + secret));
        Assert.Throws<FormatException>(() => WitnessSigner.Parse("PRIVATE+KEY+witness.example/w1"));

        Assert.Contains("checkpoint (log) key", fromLog.Message, StringComparison.Ordinal);
        Assert.Contains("does not match", fromWrongId.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, fromWrongId.Message, StringComparison.Ordinal);
    }
}
