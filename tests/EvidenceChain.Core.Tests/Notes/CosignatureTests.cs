using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Core.Tests.Notes;

public sealed class CosignatureTests
{
    // Fixed seed 00 01 .. 1f (public key as in NoteKeyTests), name "witness.example/w1", the checkpoint body and the
    // timestamp of the example in c2sp.org/tlog-cosignature. Reproduce with OpenSSL 3 (key.der as in NoteKeyTests):
    //   (printf 'witness.example/w1\n\x04'; echo <public key hex> | xxd -r -p) | sha256sum | cut -c1-8
    //   printf 'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n' > msg
    //   openssl pkeyutl -sign -rawin -inkey key.der -keyform DER -in msg | xxd -p -c 128
    private const string FixedName = "witness.example/w1";
    private const string FixedPublicKeyHex = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";
    private const uint FixedKeyId = 0xe75f6532;
    private const ulong FixedTimestamp = 1679315147;
    private const string FixedSignatureHex =
        "06e4436b304b55a736344f98f888db8d039c5cb7c5f42483655508a12f37ac4d67159b1513c622595e8d82bee557c1fa6dda014063ff97bddeb83310f64f9b05";

    private const string SpecBody = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

    private static WitnessSigner FixedSigner => WitnessSigner.FromSeed(FixedName, NoteKeyTests.FixedSeed);

    [Fact]
    public void FromSeed_FixedSeed_KeyIdFollowsSpecFormulaWithType04()
    {
        var input = Encoding.UTF8.GetBytes(FixedName + "\n").Concat(new byte[] { 0x04 }).Concat(Convert.FromHexString(FixedPublicKeyHex)).ToArray();

        var signer = FixedSigner;

        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input)), signer.KeyId);
        Assert.Equal(FixedKeyId, signer.KeyId);
        Assert.Equal(FixedPublicKeyHex, Convert.ToHexStringLower(signer.Key.PublicKey));
        Assert.NotEqual(NoteSigner.FromSeed(FixedName, NoteKeyTests.FixedSeed).KeyId, signer.KeyId);
    }

    [Fact]
    public void FromSeed_FixedSeed_KeyStringsAreStable()
    {
        var signer = FixedSigner;
        var vkeyData = Convert.ToBase64String([0x04, .. Convert.FromHexString(FixedPublicKeyHex)]);
        var skeyData = Convert.ToBase64String([0x04, .. NoteKeyTests.FixedSeed]);

        Assert.Equal($"{FixedName}+e75f6532+{vkeyData}", signer.Key.ToString());
        Assert.Equal($"PRIVATE+KEY+{FixedName}+e75f6532+{skeyData}", signer.ToPrivateKeyString());
        Assert.DoesNotContain(skeyData, signer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_FixedSeed_MatchesOpenSslSignatureOverSpecMessage()
    {
        var field = new byte[4 + 8].Concat(Convert.FromHexString(FixedSignatureHex)).ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(field, FixedKeyId);
        BinaryPrimitives.WriteUInt64BigEndian(field.AsSpan(4), FixedTimestamp);

        var line = Cosignature.Sign(FixedSigner, FixedTimestamp, SpecBody);

        Assert.Equal($"\u2014 {FixedName} {Convert.ToBase64String(field)}\n", line);
    }

    [Fact]
    public void TryVerify_SignedLine_ReturnsTrueAndTimestamp()
    {
        var line = Parse(Cosignature.Sign(FixedSigner, FixedTimestamp, SpecBody));

        Assert.True(Cosignature.TryVerify(FixedSigner.Key, SpecBody, line, out var timestamp));
        Assert.Equal(FixedTimestamp, timestamp);
    }

    [Fact]
    public void TryVerify_KeyParsedFromVkey_Verifies()
    {
        var key = WitnessKey.Parse(FixedSigner.Key.ToString());
        var line = Parse(Cosignature.Sign(FixedSigner, 1, SpecBody));

        Assert.True(Cosignature.TryVerify(key, SpecBody, line, out var timestamp));
        Assert.Equal(1UL, timestamp);
        Assert.Equal(FixedSigner.Key, key);
    }

    [Theory]
    [InlineData("example.com/behind-the-sofa\n20852164\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nextension\n")]
    [InlineData("example.com/behind-the-sofa\n20852163\n")]
    [InlineData("not a note")]
    public void TryVerify_OtherBody_ReturnsFalse(string body)
    {
        var line = Parse(Cosignature.Sign(FixedSigner, FixedTimestamp, SpecBody));

        Assert.False(Cosignature.TryVerify(FixedSigner.Key, body, line, out var timestamp));
        Assert.Equal(0UL, timestamp);
    }

    [Fact]
    public void TryVerify_TimestampRewritten_ReturnsFalse()
    {
        var field = Field(Cosignature.Sign(FixedSigner, FixedTimestamp, SpecBody));
        BinaryPrimitives.WriteUInt64BigEndian(field.AsSpan(4), FixedTimestamp + 1);
        var line = Parse($"\u2014 {FixedName} {Convert.ToBase64String(field)}");

        Assert.True(Cosignature.TryReadTimestamp(line, out var claimed));
        Assert.Equal(FixedTimestamp + 1, claimed);
        Assert.False(Cosignature.TryVerify(FixedSigner.Key, SpecBody, line, out _));
    }

    [Fact]
    public void TryVerify_SignatureBitFlipped_ReturnsFalse()
    {
        var field = Field(Cosignature.Sign(FixedSigner, FixedTimestamp, SpecBody));
        field[^1] ^= 0x01;

        Assert.False(Cosignature.TryVerify(FixedSigner.Key, SpecBody, Parse($"\u2014 {FixedName} {Convert.ToBase64String(field)}"), out _));
    }

    [Fact]
    public void TryVerify_OtherKeySameName_ReturnsFalse()
    {
        var other = WitnessSigner.FromSeed(FixedName, Enumerable.Repeat((byte)7, 32).ToArray());
        var line = Parse(Cosignature.Sign(other, FixedTimestamp, SpecBody));

        Assert.False(Cosignature.TryVerify(FixedSigner.Key, SpecBody, line, out _));
    }

    [Fact]
    public void TryVerify_SameKeyOtherName_ReturnsFalse()
    {
        var renamed = WitnessKey.FromPublicKey("witness.example/w2", FixedSigner.Key.PublicKey);
        var line = Parse(Cosignature.Sign(FixedSigner, FixedTimestamp, SpecBody));

        Assert.False(Cosignature.TryVerify(renamed, SpecBody, line, out _));
    }

    [Fact]
    public void TryVerify_LineWithForgedKeyIdButOtherSigner_ReturnsFalse()
    {
        var other = WitnessSigner.FromSeed(FixedName, Enumerable.Repeat((byte)9, 32).ToArray());
        var field = Field(Cosignature.Sign(other, FixedTimestamp, SpecBody));
        BinaryPrimitives.WriteUInt32BigEndian(field, FixedKeyId);

        Assert.False(Cosignature.TryVerify(FixedSigner.Key, SpecBody, Parse($"\u2014 {FixedName} {Convert.ToBase64String(field)}"), out _));
    }

    [Fact]
    public void TryVerify_LogSignatureLineOfSameSeed_ReturnsFalse()
    {
        var logSigner = NoteSigner.FromSeed(FixedName, NoteKeyTests.FixedSeed);
        var note = logSigner.Sign(SpecBody);
        var logLine = Parse(note[(note.IndexOf("\n\n", StringComparison.Ordinal) + 2)..]);

        Assert.False(Cosignature.TryVerify(FixedSigner.Key, SpecBody, logLine, out _));
    }

    [Fact]
    public void CosignedCheckpoint_OpensUnderLogKeyAlone_CosignatureIsUnknownLine()
    {
        var log = NoteSigner.FromSeed("example.com/behind-the-sofa", Enumerable.Repeat((byte)3, 32).ToArray());
        var cosigned = log.Sign(SpecBody) + Cosignature.Sign(FixedSigner, FixedTimestamp, SpecBody);

        var opened = SignedNote.Open(cosigned, [log.VerifierKey]);

        Assert.True(opened.IsValid, opened.Message);
        Assert.Equal(SpecBody, opened.Text);
        var unknown = Assert.Single(opened.UnknownSignatures);
        Assert.Equal(FixedKeyId, unknown.KeyId);
        Assert.True(Cosignature.TryVerify(FixedSigner.Key, opened.Text, unknown, out _));
    }

    [Fact]
    public void Sign_TimestampOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Cosignature.Sign(FixedSigner, 0, SpecBody));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cosignature.Sign(FixedSigner, Cosignature.MaxTimestamp + 1, SpecBody));
        Assert.NotNull(Cosignature.Sign(FixedSigner, Cosignature.MaxTimestamp, SpecBody));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no final newline")]
    [InlineData("tab\there\n")]
    public void Sign_InvalidBody_Throws(string body)
    {
        Assert.Throws<ArgumentException>(() => Cosignature.Sign(FixedSigner, FixedTimestamp, body));
    }

    [Fact]
    public void TryReadTimestamp_SpecExampleLine_ReadsSpecTime()
    {
        // The cosignature line of the example in c2sp.org/tlog-cosignature; its message shows "time 1679315147".
        var line = Parse("\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==");

        Assert.True(Cosignature.TryReadTimestamp(line, out var timestamp));
        Assert.Equal(1679315147UL, timestamp);
        Assert.Equal(0x8d66cf3fu, line.KeyId);
    }

    [Fact]
    public void TryReadTimestamp_TransparencyDevVector_ReadsTime()
    {
        // TestCosignatureTimestamp in github.com/transparency-dev/formats note/note_cosigv1_test.go.
        var line = Parse("\u2014 w ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==");

        Assert.True(Cosignature.TryReadTimestamp(line, out var timestamp));
        Assert.Equal(1727964367UL, timestamp);
    }

    [Fact]
    public void TryReadTimestamp_PlainEd25519LineOrHugeTimestamp_ReturnsFalse()
    {
        // A 64-byte signature without a timestamp (the log line of the same vector file).
        var plain = Parse("\u2014 w eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=");
        var field = new byte[4 + Cosignature.TimestampedSignatureSize];
        BinaryPrimitives.WriteUInt64BigEndian(field.AsSpan(4), Cosignature.MaxTimestamp + 1);

        Assert.False(Cosignature.TryReadTimestamp(plain, out _));
        Assert.False(Cosignature.TryReadTimestamp(Parse($"\u2014 w {Convert.ToBase64String(field)}"), out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("- w AAAAAAA=")]
    [InlineData("\u2014 w")]
    [InlineData("\u2014 w AAAA")]
    [InlineData("\u2014 w AAAAAAA")]
    [InlineData("\u2014 w+x AAAAAAA=")]
    [InlineData("\u2014 w AAAAAAA=\n\u2014 w AAAAAAA=\n")]
    [InlineData("\u2014 w AAAAAAA=\n\n")]
    [InlineData("\u2014 w\tAAAAAAA=")]
    public void TryParseLine_Malformed_ReturnsFalse(string? text)
    {
        Assert.False(Cosignature.TryParseLine(text, out var line));
        Assert.Null(line);
    }

    [Theory]
    [InlineData("\u2014 w AAAAAAA=")]
    [InlineData("\u2014 w AAAAAAA=\n")]
    public void TryParseLine_OneLine_ParsesNameKeyIdAndBase64(string text)
    {
        Assert.True(Cosignature.TryParseLine(text, out var line));
        Assert.Equal("w", line.Name);
        Assert.Equal(0u, line.KeyId);
        Assert.Equal("AAAAAAA=", line.Base64);
    }

    private static NoteSignature Parse(string text) =>
        Cosignature.TryParseLine(text, out var line) ? line : throw new InvalidOperationException($"cannot parse {text}");

    private static byte[] Field(string line) => Convert.FromBase64String(line.TrimEnd('\n').Split(' ')[2]);
}
