using System.Text;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Core.Tests.Notes;

public sealed class SignedNoteTests
{
    private const string Text = "example.com/log\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

    internal static NoteSigner Key(string name, byte fill = 1) =>
        NoteSigner.FromSeed(name, Enumerable.Repeat(fill, NoteSigner.SeedSize).ToArray());

    [Fact]
    public void Open_GoReferenceNote_Verifies()
    {
        var verifier = NoteVerifier.Parse(NoteKeyTests.GoVerifierKey);

        var result = SignedNote.Open(NoteKeyTests.GoNote, [verifier]);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(NoteKeyTests.GoText, result.Text);
        var signature = Assert.Single(result.VerifiedBy);
        Assert.Equal("PeterNeumann", signature.Name);
        Assert.Equal(0xc74f20a3u, signature.KeyId);
        Assert.Equal("PeterNeumann+c74f20a3", signature.ToString());
        Assert.Empty(result.UnknownSignatures);
    }

    [Fact]
    public void Open_GoDoublySignedNote_VerifiesPeterAndReportsEnochAsUnknown()
    {
        // The doubly-signed example from the Go package documentation; EnochRoot's key is not published.
        var note = NoteKeyTests.GoNote
            + "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

        var result = SignedNote.Open(note, [NoteVerifier.Parse(NoteKeyTests.GoVerifierKey)]);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal("EnochRoot", Assert.Single(result.UnknownSignatures).Name);
    }

    [Fact]
    public void Open_SignedThenOpened_RoundTrips()
    {
        var signer = Key("example.com/log");

        var result = SignedNote.Open(signer.Sign(Text), [signer.VerifierKey]);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(Text, result.Text);
        Assert.Equal(NoteFailure.None, result.Failure);
        Assert.Null(result.FailedSignature);
    }

    [Fact]
    public void Open_Bytes_SameAsString()
    {
        var signer = Key("example.com/log");
        var note = signer.Sign("caf\u00e9 \U0001F600\n");

        var result = SignedNote.Open(Encoding.UTF8.GetBytes(note), [signer.VerifierKey]);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal("caf\u00e9 \U0001F600\n", result.Text);
    }

    [Fact]
    public void Sign_SeveralSigners_EachVerifiesAlone()
    {
        var log = Key("example.com/log", 1);
        var witness = Key("witness.example/w1", 2);
        var note = SignedNote.Sign(Text, log, witness);

        var both = SignedNote.Open(note, [log.VerifierKey, witness.VerifierKey]);
        var logOnly = SignedNote.Open(note, [log.VerifierKey]);

        Assert.Equal(["example.com/log", "witness.example/w1"], both.VerifiedBy.Select(s => s.Name));
        Assert.Empty(both.UnknownSignatures);
        Assert.True(logOnly.IsValid);
        Assert.Equal("witness.example/w1", Assert.Single(logOnly.UnknownSignatures).Name);
    }

    [Fact]
    public void Open_TextWithBlankLines_SplitsAtLastBlankLine()
    {
        var signer = Key("example.com/log");
        const string text = "a\n\nb\n\n\u2014 not a signature\n";

        var result = SignedNote.Open(signer.Sign(text), [signer.VerifierKey]);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(text, result.Text);
    }

    [Fact]
    public void Open_OnlyUnknownKeys_NoVerifiedSignature()
    {
        var signer = Key("example.com/log", 1);
        var stranger = Key("example.com/other", 2);

        var result = SignedNote.Open(signer.Sign(Text), [stranger.VerifierKey]);

        Assert.Equal(NoteFailure.NoVerifiedSignature, result.Failure);
        Assert.Null(result.Text);
        Assert.Equal("example.com/log", Assert.Single(result.UnknownSignatures).Name);
        Assert.Contains("example.com/log", result.Message);
    }

    [Fact]
    public void Open_NoKnownKeys_NoVerifiedSignature()
    {
        var result = SignedNote.Open(NoteKeyTests.GoNote, []);

        Assert.Equal(NoteFailure.NoVerifiedSignature, result.Failure);
    }

    [Fact]
    public void Open_SameNameDifferentKey_IgnoredAsUnknown()
    {
        // A key sharing only the name (or only the ID) with a known key is unknown, not a bad signature.
        var signer = Key("example.com/log", 1);
        var impostor = Key("example.com/log", 2);

        var result = SignedNote.Open(impostor.Sign(Text), [signer.VerifierKey]);

        Assert.Equal(NoteFailure.NoVerifiedSignature, result.Failure);
    }

    [Fact]
    public void Open_KnownKeyWithForgedSignature_InvalidSignature()
    {
        var signer = Key("example.com/log", 1);
        var line = signer.Sign(Text)[(Text.Length + 1)..];
        var field = Convert.FromBase64String(line[(line.IndexOf(' ', 2) + 1)..^1]);
        field[^1] ^= 0x01;
        var forged = $"{Text}\n\u2014 example.com/log {Convert.ToBase64String(field)}\n";

        var result = SignedNote.Open(forged, [signer.VerifierKey]);

        Assert.Equal(NoteFailure.InvalidSignature, result.Failure);
        Assert.Equal("example.com/log", result.FailedSignature?.Name);
        Assert.Null(result.Text);
    }

    [Fact]
    public void Open_TamperedText_InvalidSignature()
    {
        var signer = Key("example.com/log");
        var note = signer.Sign(Text).Replace("\n7\n", "\n8\n", StringComparison.Ordinal);

        var result = SignedNote.Open(note, [signer.VerifierKey]);

        Assert.Equal(NoteFailure.InvalidSignature, result.Failure);
    }

    [Fact]
    public void Open_GoodSignatureThenBadCopy_InvalidSignature()
    {
        var signer = Key("example.com/log");
        var note = signer.Sign(Text);
        var other = signer.Sign("other\n");
        var badCopy = other[("other\n".Length + 1)..];

        var result = SignedNote.Open(note + badCopy, [signer.VerifierKey]);

        Assert.Equal(NoteFailure.InvalidSignature, result.Failure);
    }

    [Fact]
    public void Open_RepeatedSignature_ReportedOnce()
    {
        var signer = Key("example.com/log");
        var note = signer.Sign(Text);
        var line = note[(Text.Length + 1)..];

        var result = SignedNote.Open(note + line + line, [signer.VerifierKey]);

        Assert.True(result.IsValid, result.Message);
        Assert.Single(result.VerifiedBy);
    }

    [Fact]
    public void Open_KnownKeysListedTwice_Accepted()
    {
        var signer = Key("example.com/log");

        var result = SignedNote.Open(signer.Sign(Text), [signer.VerifierKey, NoteVerifier.Parse(signer.VerifierKey.ToString())]);

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public void Open_TwoDifferentKeysWithSameNameAndId_ThrowsArgumentException()
    {
        var (first, second) = FindKeyIdCollision("collide");

        var e = Assert.Throws<ArgumentException>(() => SignedNote.Open(NoteKeyTests.GoNote, [first, second]));

        Assert.Contains("share the name and key ID", e.Message);
    }

    [Fact]
    public void Open_NullKnownKey_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => SignedNote.Open(NoteKeyTests.GoNote, [null!]));
        Assert.Throws<ArgumentNullException>(() => SignedNote.Open(NoteKeyTests.GoNote, null!));
        Assert.Throws<ArgumentNullException>(() => SignedNote.Open((string)null!, []));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no newline")]
    [InlineData("bad\tcontrol\n")]
    [InlineData("bad\rcontrol\n")]
    public void Sign_InvalidText_ThrowsArgumentException(string text)
    {
        Assert.Throws<ArgumentException>(() => Key("example.com/log").Sign(text));
    }

    [Fact]
    public void Sign_TextWithUnpairedSurrogate_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Key("example.com/log").Sign("a" + '\udc00' + "\n"));
    }

    [Fact]
    public void Sign_BadSignerLists_ThrowArgumentException()
    {
        var signer = Key("example.com/log");

        Assert.Throws<ArgumentException>(() => SignedNote.Sign(Text));
        Assert.Throws<ArgumentException>(() => SignedNote.Sign(Text, signer, signer));
        Assert.Throws<ArgumentException>(() => SignedNote.Sign(Text, signer, null!));
        Assert.Throws<ArgumentException>(
            () => SignedNote.Sign(Text, Enumerable.Range(0, 101).Select(i => Key($"k{i}")).ToArray()));
    }

    [Fact]
    public void Sign_TextLargerThanLimit_ThrowsArgumentException()
    {
        var text = new string('a', SignedNote.MaxNoteBytes) + "\n";

        Assert.Throws<ArgumentException>(() => Key("example.com/log").Sign(text));
    }

    /// <summary>A birthday search (about 2^16 tries) for two public keys whose key IDs collide under one name.</summary>
    internal static (NoteVerifier First, NoteVerifier Second) FindKeyIdCollision(string name)
    {
        var seen = new Dictionary<uint, NoteVerifier>();
        var key = new byte[32];
        for (var i = 0; ; i++)
        {
            BitConverter.TryWriteBytes(key, i);
            var verifier = NoteVerifier.FromPublicKey(name, key);
            if (seen.TryGetValue(verifier.KeyId, out var earlier))
            {
                return (earlier, verifier);
            }

            seen.Add(verifier.KeyId, verifier);
        }
    }
}
