using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core.Notes;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace EvidenceChain.Core.Tests.Notes;

public sealed class NoteKeyTests
{
    // The example key and note in the documentation of Go's golang.org/x/mod/sumdb/note, the reference implementation.
    internal const string GoPrivateKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    internal const string GoVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    internal const string GoText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    internal const string GoNote = GoText + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    // Fixed seed 00 01 .. 1f, name "example.com/log". Reproduce with OpenSSL 3:
    //   printf '302e020100300506032b657004220420%s' 000102...1e1f | xxd -r -p > key.der
    //   openssl pkey -inform DER -in key.der -pubout -outform DER | tail -c 32 | xxd -p -c 64
    //   printf 'Hello, transparency.\n' > msg; openssl pkeyutl -sign -rawin -inkey key.der -keyform DER -in msg | xxd -p -c 128
    //   (printf 'example.com/log\n\x01'; echo <public key hex> | xxd -r -p) | sha256sum | cut -c1-8
    private const string FixedName = "example.com/log";
    private const string FixedPublicKeyHex = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";
    private const string FixedText = "Hello, transparency.\n";
    private const string FixedSignatureHex =
        "f3074023f0e6445d7a38f599b472315f87a702485e9e238484f966b405fae7219c4d822cbe88a12294a5aced1206b5ac43b9c6fd683195669bf981cfb7554c05";
    private const uint FixedKeyId = 0xd455c521;

    internal static byte[] FixedSeed => Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void FromSeed_FixedSeed_MatchesOpenSslVector()
    {
        var signer = NoteSigner.FromSeed(FixedName, FixedSeed);

        Assert.Equal(FixedPublicKeyHex, Convert.ToHexStringLower(signer.VerifierKey.PublicKey));
        Assert.Equal(FixedKeyId, signer.KeyId);
        Assert.Equal(FixedName, signer.Name);
    }

    [Fact]
    public void FromSeed_FixedSeed_KeyIdFollowsSpecFormula()
    {
        var signer = NoteSigner.FromSeed(FixedName, FixedSeed);
        var input = Encoding.UTF8.GetBytes(FixedName + "\n").Concat(new byte[] { 0x01 }).Concat(Convert.FromHexString(FixedPublicKeyHex)).ToArray();

        var expected = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));

        Assert.Equal(expected, signer.KeyId);
    }

    [Fact]
    public void FromSeed_FixedSeed_VerifierAndPrivateStringsAreStable()
    {
        var signer = NoteSigner.FromSeed(FixedName, FixedSeed);
        var publicKey = new byte[] { 0x01 }.Concat(Convert.FromHexString(FixedPublicKeyHex)).ToArray();
        var privateKey = new byte[] { 0x01 }.Concat(FixedSeed).ToArray();

        Assert.Equal($"{FixedName}+d455c521+{Convert.ToBase64String(publicKey)}", signer.VerifierKey.ToString());
        Assert.Equal($"PRIVATE+KEY+{FixedName}+d455c521+{Convert.ToBase64String(privateKey)}", signer.ToPrivateKeyString());
    }

    [Fact]
    public void Sign_FixedSeed_MatchesOpenSslSignature()
    {
        var signer = NoteSigner.FromSeed(FixedName, FixedSeed);
        var field = new byte[4].Concat(Convert.FromHexString(FixedSignatureHex)).ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(field, FixedKeyId);

        var note = signer.Sign(FixedText);

        Assert.Equal($"{FixedText}\n\u2014 {FixedName} {Convert.ToBase64String(field)}\n", note);
    }

    [Fact]
    public void Sign_FixedSeed_CrossChecksWithBouncyCastleDirectly()
    {
        var signer = NoteSigner.FromSeed(FixedName, FixedSeed);
        var publicKey = new byte[32];
        Ed25519.GeneratePublicKey(FixedSeed, 0, publicKey, 0);
        var message = Encoding.UTF8.GetBytes(FixedText);
        var signature = new byte[64];
        Ed25519.Sign(FixedSeed, 0, message, 0, message.Length, signature, 0);

        Assert.Equal(publicKey, signer.VerifierKey.PublicKey.ToArray());
        Assert.True(signer.VerifierKey.Verify(message, signature));
    }

    [Fact]
    public void Parse_GoReferenceKeys_RoundTripAndAgree()
    {
        var signer = NoteSigner.Parse(GoPrivateKey);
        var verifier = NoteVerifier.Parse(GoVerifierKey);

        Assert.Equal("PeterNeumann", signer.Name);
        Assert.Equal(0xc74f20a3u, signer.KeyId);
        Assert.Equal(verifier, signer.VerifierKey);
        Assert.Equal(GoVerifierKey, verifier.ToString());
        Assert.Equal(GoPrivateKey, signer.ToPrivateKeyString());
    }

    [Fact]
    public void Sign_GoReferenceKey_ReproducesGoNoteByteForByte()
    {
        var signer = NoteSigner.Parse(GoPrivateKey);

        Assert.Equal(GoNote, signer.Sign(GoText));
    }

    [Fact]
    public void Parse_UppercaseHex_AcceptedAndFormattedLowercase()
    {
        var verifier = NoteVerifier.Parse("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");

        Assert.Equal(GoVerifierKey, verifier.ToString());
    }

    [Theory]
    [InlineData("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "does not match")]
    [InlineData("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "eight hex digits")]
    [InlineData("PeterNeumann+c74f20a30+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "eight hex digits")]
    [InlineData("PeterNeumann+0xf20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "eight hex digits")]
    [InlineData("PeterNeumann+ c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "eight hex digits")]
    [InlineData("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "key type 0x65")]
    [InlineData("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==", "base64")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy", "32 bytes")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", "base64")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW ", "base64")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4 izWy10TW", "base64")]
    [InlineData("PeterNeumann+c74f20a3+", "base64")]
    [InlineData("PeterNeumann+c74f20a3", "name+hex8+base64")]
    [InlineData("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "empty")]
    [InlineData("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "white space")]
    [InlineData("Peter\u00a0Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "white space")]
    [InlineData("", "name+hex8+base64")]
    public void Parse_MalformedVerifierKey_ThrowsFormatExceptionSayingWhy(string text, string reason)
    {
        var e = Assert.Throws<FormatException>(() => NoteVerifier.Parse(text));

        Assert.Contains(reason, e.Message);
        Assert.False(NoteVerifier.TryParse(text, out _));
    }

    [Fact]
    public void Parse_EveryTruncationOfVerifierKey_Fails()
    {
        for (var start = 0; start < GoVerifierKey.Length; start++)
        {
            for (var end = start + 1; end <= GoVerifierKey.Length; end++)
            {
                if (start == 0 && end == GoVerifierKey.Length)
                {
                    continue;
                }

                Assert.False(NoteVerifier.TryParse(GoVerifierKey[start..end], out _), GoVerifierKey[start..end]);
            }
        }
    }

    [Fact]
    public void Parse_EverySingleCharacterChangeOfPrivateKey_Fails()
    {
        for (var i = 0; i < GoPrivateKey.Length; i++)
        {
            var chars = GoPrivateKey.ToCharArray();
            chars[i]++;
            var mangled = new string(chars);

            Assert.Throws<FormatException>(() => NoteSigner.Parse(mangled));
        }
    }

    [Theory]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "does not match")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXH", "32 bytes")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AoEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "key type 0x02")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "PRIVATE+KEY+")]
    [InlineData("PRIVATE+KEY+PeterNeumann", "PRIVATE+KEY+name+hex8+base64")]
    public void Parse_MalformedPrivateKey_ThrowsFormatException(string text, string reason)
    {
        var e = Assert.Throws<FormatException>(() => NoteSigner.Parse(text));

        Assert.Contains(reason, e.Message);
        Assert.DoesNotContain("AYEKFALVFGyNhPJEMzD1QIDr", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a+b")]
    [InlineData("a\tb")]
    [InlineData("a\nb")]
    [InlineData("a\u2003b")]
    public void FromSeed_InvalidName_ThrowsArgumentException(string name)
    {
        Assert.Throws<ArgumentException>(() => NoteSigner.FromSeed(name, FixedSeed));
        Assert.Throws<ArgumentException>(() => NoteVerifier.FromPublicKey(name, new byte[32]));
    }

    [Fact]
    public void FromSeed_NameWithUnpairedSurrogate_ThrowsArgumentException()
    {
        var name = "a" + '\ud800';

        var e = Assert.Throws<ArgumentException>(() => NoteSigner.FromSeed(name, FixedSeed));

        Assert.Contains("surrogate", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void FromSeed_WrongSeedLength_ThrowsArgumentException(int length)
    {
        Assert.Throws<ArgumentException>(() => NoteSigner.FromSeed("example.com/log", new byte[length]));
    }

    [Fact]
    public void ToString_Signer_DoesNotRevealPrivateKey()
    {
        var signer = NoteSigner.FromSeed(FixedName, FixedSeed);

        Assert.Equal("NoteSigner example.com/log+d455c521", signer.ToString());
    }

    [Fact]
    public void Verify_WrongLengthOrUndecodableKey_ReturnsFalse()
    {
        var message = Encoding.UTF8.GetBytes(FixedText);
        var good = Convert.FromHexString(FixedSignatureHex);
        var verifier = NoteSigner.FromSeed(FixedName, FixedSeed).VerifierKey;
        var garbageKey = NoteVerifier.FromPublicKey("garbage", Enumerable.Repeat((byte)0xff, 32).ToArray());

        Assert.True(verifier.Verify(message, good));
        Assert.False(verifier.Verify(message, good.AsSpan(0, 63)));
        Assert.False(verifier.Verify(message, good.Concat(new byte[1]).ToArray()));
        Assert.False(verifier.Verify(message, []));
        Assert.False(garbageKey.Verify(message, good));
    }

    [Fact]
    public void Equals_SameKeyParsedTwice_EqualWithSameHashCode()
    {
        var a = NoteVerifier.Parse(GoVerifierKey);
        var b = NoteVerifier.Parse(GoVerifierKey.Replace("c74f20a3", "C74F20A3", StringComparison.Ordinal));
        var other = NoteSigner.FromSeed(FixedName, FixedSeed).VerifierKey;

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, other);
        Assert.False(a.Equals(null));
    }
}
