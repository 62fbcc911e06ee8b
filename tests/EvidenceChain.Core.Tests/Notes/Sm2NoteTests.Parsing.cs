using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Core.Tests.Notes;

public sealed partial class Sm2NoteTests
{
    // n - 1 and n - 2 of sm2p256v1 (GM/T 0003.5): d must be in [1, n - 2].
    private static readonly byte[] OrderMinus1 = Convert.FromHexString("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54122");
    private static readonly byte[] OrderMinus2 = Convert.FromHexString("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54121");

    [Fact]
    public void FromSm2PrivateKey_Bounds_AcceptsOneAndNMinus2_RejectsZeroAndNMinus1()
    {
        var one = new byte[32];
        one[31] = 1;

        Assert.Equal(NoteKeyType.Sm2, NoteSigner.FromSm2PrivateKey(Name, one).Type);
        Assert.Equal(NoteKeyType.Sm2, NoteSigner.FromSm2PrivateKey(Name, OrderMinus2).Type);
        Assert.Throws<ArgumentException>(() => NoteSigner.FromSm2PrivateKey(Name, new byte[32]));
        Assert.Throws<ArgumentException>(() => NoteSigner.FromSm2PrivateKey(Name, OrderMinus1));
        Assert.Throws<ArgumentException>(() => NoteSigner.FromSm2PrivateKey(Name, new byte[31]));
        Assert.Throws<ArgumentException>(() => NoteSigner.FromSm2PrivateKey("a b", TestPrivateKey));
    }

    [Fact]
    public void FromSm2PublicKey_NotAnUncompressedPointOnTheCurve_Throws()
    {
        var good = Sm2Key().VerifierKey.PublicKey.ToArray();
        var offCurve = (byte[])good.Clone();
        offCurve[^1] ^= 1;
        byte[] compressed = [(byte)(2 + (good[^1] & 1)), .. good[1..33]];

        Assert.Equal(Sm2Key().VerifierKey, NoteVerifier.FromSm2PublicKey(Name, good));
        Assert.Throws<ArgumentException>(() => NoteVerifier.FromSm2PublicKey(Name, offCurve));
        Assert.Throws<ArgumentException>(() => NoteVerifier.FromSm2PublicKey(Name, compressed));
        Assert.Throws<ArgumentException>(() => NoteVerifier.FromSm2PublicKey(Name, good.AsSpan(1)));
        Assert.Throws<ArgumentException>(() => NoteVerifier.FromSm2PublicKey(Name, new byte[65]));
    }

    [Theory]
    [InlineData("id", "not supported")]
    [InlineData("short", "65 bytes")]
    [InlineData("long", "65 bytes")]
    [InlineData("offcurve", "on the curve")]
    [InlineData("keyid", "does not match")]
    [InlineData("ed25519type", "32 bytes")]
    public void Parse_MalformedSm2VerifierKey_ThrowsFormatExceptionSayingWhy(string change, string reason)
    {
        var key = Sm2Key().VerifierKey;
        byte[] data = [.. Sm2Type, .. key.PublicKey];
        var keyId = key.KeyId;
        switch (change)
        {
            case "id": data[^66] ^= 0x20; break; // the identifier's last character
            case "short": data = data[..^1]; break;
            case "long": data = [.. data, 0]; break;
            case "offcurve": data[^1] ^= 1; keyId = KeyIdOf(Name, data); break;
            case "keyid": keyId ^= 1; break;
            case "ed25519type": data = [0x01, .. data[Sm2Type.Length..]]; break;
            default: throw new ArgumentOutOfRangeException(nameof(change));
        }

        var text = $"{Name}+{keyId:x8}+{Convert.ToBase64String(data)}";
        var e = Assert.Throws<FormatException>(() => NoteVerifier.Parse(text));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.False(NoteVerifier.TryParse(text, out _));
    }

    [Theory]
    [InlineData("zero", "range")]
    [InlineData("order", "range")]
    [InlineData("short", "32 bytes")]
    [InlineData("keyid", "does not match")]
    public void Parse_MalformedSm2PrivateKey_ThrowsFormatExceptionWithoutTheSecret(string change, string reason)
    {
        var signer = NoteSigner.FromSm2PrivateKey(Name, TestPrivateKey);
        var secret = TestPrivateKey;
        var keyId = signer.KeyId;
        switch (change)
        {
            case "zero": secret = new byte[32]; break;
            case "order": secret = OrderMinus1; break;
            case "short": secret = TestPrivateKey[..31]; break;
            case "keyid": keyId ^= 1; break;
            default: throw new ArgumentOutOfRangeException(nameof(change));
        }

        var encoded = Convert.ToBase64String([.. Sm2Type, .. secret]);
        var e = Assert.Throws<FormatException>(() => NoteSigner.Parse($"PRIVATE+KEY+{Name}+{keyId:x8}+{encoded}"));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(encoded, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EverySingleCharacterChangeOfSm2PrivateKey_Fails()
    {
        var text = NoteSigner.FromSm2PrivateKey(Name, TestPrivateKey).ToPrivateKeyString();
        for (var i = 0; i < text.Length; i++)
        {
            var chars = text.ToCharArray();
            chars[i]++;

            Assert.Throws<FormatException>(() => NoteSigner.Parse(new string(chars)));
        }
    }

    [Fact]
    public void Equals_Ed25519AndSm2KeysOfOneName_AreDifferent()
    {
        var ed = SignedNoteTests.Key(Name, 7).VerifierKey;
        var sm2 = Sm2Key().VerifierKey;

        Assert.NotEqual(ed, sm2);
        Assert.Equal(NoteKeyType.Ed25519, ed.Type);
        Assert.NotEqual(ed.KeyId, sm2.KeyId);
    }

    private static uint KeyIdOf(string name, byte[] typeAndKey) =>
        BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData([.. Encoding.UTF8.GetBytes(name), 0x0a, .. typeAndKey]));
}
