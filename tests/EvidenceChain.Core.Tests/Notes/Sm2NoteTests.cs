using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Arbitraries;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Notes;

/// <summary>SM2 signature lines (national crypto profile, docs/formats.md §6a) and their keys.</summary>
[Properties(Arbitrary = [typeof(MerkleArbitraries)])]
public sealed partial class Sm2NoteTests
{
    /// <summary>The documented test key: d = 20 21 … 3f. Public test value, never for a real log.</summary>
    internal static readonly byte[] TestPrivateKey = [.. Enumerable.Range(0x20, 32).Select(i => (byte)i)];

    private const string Name = "example.org/evidence";
    private const string Text = "example.org/evidence\n3\nV8TEIB6JjdYSMLUSGaU3ewlSbi9+if38wWA8W0pgaaU=\n";

    private static readonly byte[] Sm2Type = [0xff, .. "evidencechain/sm2-sm3/v1"u8];

    internal static NoteSigner Sm2Key(string name = Name, byte fill = 7) =>
        NoteSigner.FromSm2PrivateKey(name, Enumerable.Repeat(fill, NoteSigner.Sm2PrivateKeySize).ToArray());

    [Fact]
    public void FromSm2PrivateKey_TestKey_HasSm2TypeAndUncompressedPublicKey()
    {
        var signer = NoteSigner.FromSm2PrivateKey(Name, TestPrivateKey);

        Assert.Equal(NoteKeyType.Sm2, signer.Type);
        Assert.Equal(NoteKeyType.Sm2, signer.VerifierKey.Type);
        Assert.Equal(Name, signer.Name);
        Assert.Equal(NoteVerifier.Sm2PublicKeySize, signer.VerifierKey.PublicKey.Length);
        Assert.Equal(0x04, signer.VerifierKey.PublicKey[0]);
    }

    [Fact]
    public void Sign_DocumentedTestKeys_ReproduceFormatsMdSection6a4ByteForByte()
    {
        // docs/formats.md §6a.4; the openssl commands there verify this line.
        var sm2 = NoteSigner.FromSm2PrivateKey(Name, TestPrivateKey);
        var ed = NoteSigner.Parse("PRIVATE+KEY+example.org/evidence+113fdc51+AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f");

        var note = CheckpointNote.Sign(Checkpoint.Parse(Text), ed, sm2);

        Assert.Equal(
            "example.org/evidence+88027bf2+/2V2aWRlbmNlY2hhaW4vc20yLXNtMy92MQSzEMgEu8Bq9B27sbZLVliy367nr5M82HVlgitNjlwe/B5mBcGsT69xT1XidjHMjVmtvnZUZbAsDkmSPy6w06ea",
            sm2.VerifierKey.ToString());
        Assert.Equal(
            "PRIVATE+KEY+example.org/evidence+88027bf2+/2V2aWRlbmNlY2hhaW4vc20yLXNtMy92MSAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/",
            sm2.ToPrivateKeyString());
        Assert.Equal(
            Text + "\n"
            + "\u2014 example.org/evidence ET/cUbbcX1wEOHzpQFzbD3L4kMor203la0c/VmCk6QlAq7t/M5Kr48FlxYdTwk6hogJgeX6vMSixEvy8OzfSz9sBrQA=\n"
            + "\u2014 example.org/evidence iAJ78jBEAiBQHm1IXv5txwqXbTvw0q+kzQwGg9fuieQse64tP+lckQIgFzfcVqDwU8JzDD1aSZFae7HJAHPVJrvo3t2HWvlhMPI=\n",
            note);
        Assert.Equal(313, Encoding.UTF8.GetByteCount(note));
    }

    [Fact]
    public void KeyId_IsSha256OfNameNewlineTypeBytesAndPublicKey()
    {
        var verifier = NoteSigner.FromSm2PrivateKey(Name, TestPrivateKey).VerifierKey;

        byte[] input = [.. Encoding.UTF8.GetBytes(Name), 0x0a, .. Sm2Type, .. verifier.PublicKey];
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input)), verifier.KeyId);
    }

    [Fact]
    public void VerifierKey_ToStringAndParse_RoundTrip()
    {
        var verifier = Sm2Key().VerifierKey;

        var text = verifier.ToString();
        var parsed = NoteVerifier.Parse(text);

        Assert.Equal(verifier, parsed);
        Assert.Equal(NoteKeyType.Sm2, parsed.Type);
        Assert.Equal([.. Sm2Type, .. verifier.PublicKey], Convert.FromBase64String(text.Split('+', 3)[2]));
    }

    [Fact]
    public void PrivateKey_ToStringAndParse_RoundTrip()
    {
        var signer = NoteSigner.FromSm2PrivateKey(Name, TestPrivateKey);

        var text = signer.ToPrivateKeyString();
        var parsed = NoteSigner.Parse(text);

        Assert.StartsWith($"PRIVATE+KEY+{Name}+", text, StringComparison.Ordinal);
        Assert.Equal([.. Sm2Type, .. TestPrivateKey], Convert.FromBase64String(text.Split('+', 5)[4]));
        Assert.Equal(signer.VerifierKey, parsed.VerifierKey);
        Assert.Equal(NoteKeyType.Sm2, parsed.Type);
        Assert.DoesNotContain(text.Split('+', 5)[4], signer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_Sm2_OpensWithItsKey()
    {
        var signer = Sm2Key();

        var note = SignedNote.Sign(Text, signer);
        var result = SignedNote.Open(note, [signer.VerifierKey]);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(Text, result.Text);
        Assert.Equal(signer.KeyId, Assert.Single(result.VerifiedBy).KeyId);
    }

    [Fact]
    public void Sign_SameKeyAndText_IsDeterministic()
    {
        Assert.Equal(SignedNote.Sign(Text, Sm2Key()), SignedNote.Sign(Text, Sm2Key()));
        Assert.NotEqual(SignedNote.Sign(Text, Sm2Key()), SignedNote.Sign(Text.Replace("\n3\n", "\n4\n", StringComparison.Ordinal), Sm2Key()));
    }

    [Fact]
    public void Sign_Sm2Signature_IsStrictDerOfAtMost72Bytes()
    {
        var signer = Sm2Key();

        var (_, signature) = Sm2OpenSsl.Extract(SignedNote.Sign(Text, signer), signer.VerifierKey);

        Assert.InRange(signature.Length, 8, NoteVerifier.Sm2MaxSignatureSize);
        Assert.Equal(0x30, signature[0]);
        Assert.Equal(signature.Length - 2, signature[1]);
    }

    [Fact]
    public void Open_TamperedText_FailsWithInvalidSignature()
    {
        var signer = Sm2Key();
        var note = SignedNote.Sign(Text, signer);

        var result = SignedNote.Open(note.Replace("\n3\n", "\n4\n", StringComparison.Ordinal), [signer.VerifierKey]);

        Assert.Equal(NoteFailure.InvalidSignature, result.Failure);
    }

    [Fact]
    public void Open_EveryFlippedSignatureByte_FailsWithInvalidSignature()
    {
        var signer = Sm2Key();
        var note = SignedNote.Sign(Text, signer);
        var line = note[(note.LastIndexOf(' ') + 1)..^1];
        var field = Convert.FromBase64String(line);

        for (var i = 4; i < field.Length; i++)
        {
            var bad = (byte[])field.Clone();
            bad[i] ^= 0x01;
            var result = SignedNote.Open(note.Replace(line, Convert.ToBase64String(bad), StringComparison.Ordinal), [signer.VerifierKey]);

            Assert.Equal(NoteFailure.InvalidSignature, result.Failure);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x00 })] // trailing byte after the DER sequence
    [InlineData(new byte[] { })]
    public void Open_SignatureNotStrictDer_FailsWithInvalidSignature(byte[] suffix)
    {
        var signer = Sm2Key();
        var note = SignedNote.Sign(Text, signer);
        var line = note[(note.LastIndexOf(' ') + 1)..^1];
        var field = Convert.FromBase64String(line);

        // BER long-form length (0x81 len) instead of DER's short form, or trailing garbage.
        byte[] changed = suffix.Length == 0
            ? [.. field[..4], 0x30, 0x81, .. field[5..]]
            : [.. field, .. suffix];
        var result = SignedNote.Open(note.Replace(line, Convert.ToBase64String(changed), StringComparison.Ordinal), [signer.VerifierKey]);

        Assert.Equal(NoteFailure.InvalidSignature, result.Failure);
    }

    [Fact]
    public void Open_OtherSm2KeyOfSameName_IgnoresTheLine()
    {
        var note = SignedNote.Sign(Text, Sm2Key(fill: 7));

        var result = SignedNote.Open(note, [Sm2Key(fill: 8).VerifierKey]);

        Assert.Equal(NoteFailure.NoVerifiedSignature, result.Failure);
        Assert.Single(result.UnknownSignatures);
    }

    [Fact]
    public void Open_LineRelabelledWithAnotherKeysId_FailsWithInvalidSignature()
    {
        var other = Sm2Key(fill: 8);
        var note = SignedNote.Sign(Text, Sm2Key(fill: 7));
        var line = note[(note.LastIndexOf(' ') + 1)..^1];
        var field = Convert.FromBase64String(line);
        BinaryPrimitives.WriteUInt32BigEndian(field, other.KeyId);

        var result = SignedNote.Open(note.Replace(line, Convert.ToBase64String(field), StringComparison.Ordinal), [other.VerifierKey]);

        Assert.Equal(NoteFailure.InvalidSignature, result.Failure);
    }

    [Fact]
    public void Sign_Ed25519AndSm2_EachKeyOpensAloneAndSeesTheOtherAsUnknown()
    {
        var ed = SignedNoteTests.Key(Name, 3);
        var sm2 = Sm2Key();

        var note = SignedNote.Sign(Text, ed, sm2);

        var byEd = SignedNote.Open(note, [ed.VerifierKey]);
        var bySm2 = SignedNote.Open(note, [sm2.VerifierKey]);
        var byBoth = SignedNote.Open(note, [ed.VerifierKey, sm2.VerifierKey]);
        Assert.True(byEd.IsValid, byEd.Message);
        Assert.Equal(sm2.KeyId, Assert.Single(byEd.UnknownSignatures).KeyId);
        Assert.True(bySm2.IsValid, bySm2.Message);
        Assert.Equal(ed.KeyId, Assert.Single(bySm2.UnknownSignatures).KeyId);
        Assert.Equal([ed.KeyId, sm2.KeyId], byBoth.VerifiedBy.Select(s => s.KeyId));
        Assert.Equal(2, note.Split('\n').Count(l => l.StartsWith('\u2014')));
    }

    [Property(MaxTest = 40)]
    public void CheckpointSignedByBoth_OpensUnderEitherAndBoth_AndAnyFlippedSm2BitFailsOnlySm2(Hash root, ushort size, byte seed, byte at)
    {
        var ed = SignedNoteTests.Key(Name, (byte)(seed | 1));
        var sm2 = Sm2Key(fill: (byte)((seed & 0x7f) | 1)); // 0xff.. is above the order n
        var checkpoint = new Checkpoint(Name, size, root);

        var note = CheckpointNote.Sign(checkpoint, ed, sm2);

        Assert.Equal(checkpoint, CheckpointNote.Open(note, ed.VerifierKey).Checkpoint);
        Assert.Equal(checkpoint, CheckpointNote.Open(note, sm2.VerifierKey).Checkpoint);
        Assert.Equal(checkpoint, CheckpointNote.Open(note, [ed.VerifierKey, sm2.VerifierKey]).Checkpoint);

        var line = note[(note.LastIndexOf(' ') + 1)..^1];
        var field = Convert.FromBase64String(line);
        var bit = 32 + (at % ((field.Length - 4) * 8));
        field[bit / 8] ^= (byte)(1 << (bit % 8));
        var bad = note.Replace(line, Convert.ToBase64String(field), StringComparison.Ordinal);
        Assert.True(CheckpointNote.Open(bad, ed.VerifierKey).IsValid);
        Assert.Equal(CheckpointFailure.InvalidSignature, CheckpointNote.Open(bad, sm2.VerifierKey).Failure);
        Assert.Equal(CheckpointFailure.InvalidSignature, CheckpointNote.Open(bad, [ed.VerifierKey, sm2.VerifierKey]).Failure);
    }

    [Fact]
    public void OpenAll_OneKeyDidNotSign_FailsNamingIt()
    {
        var ed = SignedNoteTests.Key(Name, 3);
        var sm2 = Sm2Key();
        var note = CheckpointNote.Sign(new Checkpoint(Name, 3, Checkpoint.Parse(Text).Root), ed);

        var result = CheckpointNote.Open(note, [ed.VerifierKey, sm2.VerifierKey]);

        Assert.Equal(CheckpointFailure.NoVerifiedSignature, result.Failure);
        Assert.Contains($"{Name}+{sm2.KeyId:x8}", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenAll_KeysOfDifferentNamesOrNone_Throw()
    {
        var ed = SignedNoteTests.Key(Name, 3);
        var sm2 = Sm2Key("example.org/other");

        Assert.Throws<ArgumentException>(() => CheckpointNote.Open("x", [ed.VerifierKey, sm2.VerifierKey]));
        Assert.Throws<ArgumentException>(() => CheckpointNote.Open("x", Array.Empty<NoteVerifier>()));
    }

    [Fact]
    public void CheckpointSign_AdditionalSignerOfAnotherName_Throws()
    {
        var checkpoint = new Checkpoint(Name, 3, Checkpoint.Parse(Text).Root);

        Assert.Throws<ArgumentException>(() => CheckpointNote.Sign(checkpoint, SignedNoteTests.Key(Name), Sm2Key("example.org/other")));
    }
}
