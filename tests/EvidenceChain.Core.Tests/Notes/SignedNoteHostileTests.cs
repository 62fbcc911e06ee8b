using System.Buffers.Binary;
using System.Text;
using EvidenceChain.Core.Notes;
using FsCheck;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Notes;

public sealed class SignedNoteHostileTests
{
    private const string Text = "example.com/log\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    private static readonly NoteSigner Signer = SignedNoteTests.Key("example.com/log");
    private static readonly NoteVerifier[] Keys = [Signer.VerifierKey];
    private static readonly string Note = Signer.Sign(Text);
    private static readonly string Line = Note[(Text.Length + 1)..];
    private static readonly string Field = Line["\u2014 example.com/log ".Length..^1];

    private static NoteOpenResult Open(string note) => SignedNote.Open(note, Keys);

    [Theory]
    [InlineData("missing final newline")]
    [InlineData("trailing blank line")]
    [InlineData("no blank line")]
    [InlineData("hyphen instead of em dash")]
    [InlineData("en dash instead of em dash")]
    [InlineData("no space after em dash")]
    [InlineData("two spaces before signature")]
    [InlineData("no signature field")]
    [InlineData("empty name")]
    [InlineData("plus in name")]
    [InlineData("no-break space in name")]
    [InlineData("bad base64 character")]
    [InlineData("missing base64 padding")]
    [InlineData("non-canonical base64")]
    [InlineData("space inside base64")]
    [InlineData("key ID only")]
    [InlineData("CRLF line ending")]
    [InlineData("tab in text")]
    [InlineData("NUL in text")]
    [InlineData("signature line inside text only")]
    [InlineData("empty")]
    [InlineData("only newlines")]
    public void Open_MalformedNote_Malformed(string mutation)
    {
        var note = mutation switch
        {
            "missing final newline" => Note[..^1],
            "trailing blank line" => Note + "\n",
            "no blank line" => Text + Line,
            "hyphen instead of em dash" => $"{Text}\n- example.com/log {Field}\n",
            "en dash instead of em dash" => $"{Text}\n\u2013 example.com/log {Field}\n",
            "no space after em dash" => $"{Text}\n\u2014example.com/log {Field}\n",
            "two spaces before signature" => $"{Text}\n\u2014 example.com/log  {Field}\n",
            "no signature field" => $"{Text}\n\u2014 example.com/log\n",
            "empty name" => $"{Text}\n\u2014  {Field}\n",
            "plus in name" => $"{Text}\n\u2014 example.com+log {Field}\n",
            "no-break space in name" => $"{Text}\n\u2014 example.com\u00a0log {Field}\n",
            "bad base64 character" => $"{Text}\n\u2014 example.com/log {Field[..^2]}!=\n",
            "missing base64 padding" => $"{Text}\n\u2014 example.com/log {Field.TrimEnd('=')}\n",
            "non-canonical base64" => $"{Text}\n\u2014 example.com/log {NonCanonical(Field)}\n",
            "space inside base64" => $"{Text}\n\u2014 example.com/log {Field[..8]} {Field[8..]}\n",
            "key ID only" => $"{Text}\n\u2014 example.com/log {Convert.ToBase64String(Convert.FromBase64String(Field)[..4])}\n",
            "CRLF line ending" => Note.Replace("\n", "\r\n", StringComparison.Ordinal),
            "tab in text" => "\t" + Note,
            "NUL in text" => "\0" + Note,
            "signature line inside text only" => Line,
            "empty" => string.Empty,
            "only newlines" => "\n\n\n",
            _ => throw new ArgumentOutOfRangeException(nameof(mutation)),
        };

        var result = Open(note);

        Assert.Equal(NoteFailure.Malformed, result.Failure);
        Assert.False(result.IsValid);
        Assert.Null(result.Text);
        Assert.False(string.IsNullOrEmpty(result.Message));
    }

    [Fact]
    public void Open_NonCanonicalBase64_MalformedThoughLenientDecodersAcceptIt()
    {
        var lenient = Convert.FromBase64String(NonCanonical(Field));

        var result = Open($"{Text}\n\u2014 example.com/log {NonCanonical(Field)}\n");

        Assert.Equal(Convert.FromBase64String(Field), lenient);
        Assert.Equal(NoteFailure.Malformed, result.Failure);
        Assert.Contains("canonical", result.Message);
    }

    [Fact]
    public void Open_InvalidUtf8Bytes_Malformed()
    {
        var bytes = Encoding.UTF8.GetBytes(Note);
        bytes[0] = 0xff;

        Assert.Equal(NoteFailure.Malformed, SignedNote.Open(bytes, Keys).Failure);
    }

    [Fact]
    public void Open_OverlongUtf8Newline_Malformed()
    {
        var bytes = Encoding.UTF8.GetBytes(Note).Concat(new byte[] { 0xc0, 0x8a }).ToArray();

        Assert.Equal(NoteFailure.Malformed, SignedNote.Open(bytes, Keys).Failure);
    }

    [Fact]
    public void Open_UnpairedSurrogateInString_Malformed()
    {
        Assert.Equal(NoteFailure.Malformed, Open('\ud800' + Note).Failure);
    }

    [Fact]
    public void Open_BlankLineBetweenSignatures_FirstSignatureBecomesText()
    {
        var unknown = $"\u2014 someone.else {Convert.ToBase64String(new byte[68])}\n";

        var result = Open(Note + "\n" + unknown);

        Assert.Equal(NoteFailure.NoVerifiedSignature, result.Failure);
    }

    [Fact]
    public void Open_KnownKeyWithShortSignature_InvalidSignature()
    {
        var field = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(field, Signer.KeyId);

        var result = Open($"{Text}\n\u2014 example.com/log {Convert.ToBase64String(field)}\n");

        Assert.Equal(NoteFailure.InvalidSignature, result.Failure);
    }

    [Fact]
    public void Open_ExactlyMaxSignatures_Verifies()
    {
        var result = Open(Note + UnknownLines(SignedNote.MaxSignatures - 1));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(SignedNote.MaxSignatures - 1, result.UnknownSignatures.Count);
    }

    [Fact]
    public void Open_OneMoreThanMaxSignatures_TooManySignatures()
    {
        var result = Open(Note + UnknownLines(SignedNote.MaxSignatures));

        Assert.Equal(NoteFailure.TooManySignatures, result.Failure);
    }

    [Fact]
    public void Sign_MaxSigners_AllVerify()
    {
        var signers = Enumerable.Range(0, SignedNote.MaxSignatures).Select(i => SignedNoteTests.Key($"k{i}", (byte)i)).ToArray();

        var result = SignedNote.Open(SignedNote.Sign(Text, signers), signers.Select(s => s.VerifierKey).ToArray());

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(SignedNote.MaxSignatures, result.VerifiedBy.Count);
    }

    [Fact]
    public void Open_LargerThanLimit_Malformed()
    {
        var big = new string('a', SignedNote.MaxNoteBytes) + Note;

        Assert.Equal(NoteFailure.Malformed, Open(big).Failure);
        Assert.Equal(NoteFailure.Malformed, SignedNote.Open(Encoding.UTF8.GetBytes(big), Keys).Failure);
    }

    [Fact]
    public void Open_FewCharactersButTooManyBytes_Malformed()
    {
        // 400 Ki three-byte characters: within the character limit, over the byte limit.
        var big = new string('\u20ac', 400 * 1024) + Note;

        var result = Open(big);

        Assert.Equal(NoteFailure.Malformed, result.Failure);
        Assert.Contains("bytes", result.Message);
    }

    [Fact]
    public void Open_LargestAcceptedSize_Verifies()
    {
        var padding = SignedNote.MaxNoteBytes - Encoding.UTF8.GetByteCount(Note) - 1;
        var text = new string('a', padding) + "\n" + Text;
        var note = Signer.Sign(text);

        Assert.Equal(SignedNote.MaxNoteBytes, Encoding.UTF8.GetByteCount(note));
        Assert.True(Open(note).IsValid);
    }

    [Fact]
    public void Open_AnySingleBitFlip_IsRejected()
    {
        var bytes = Encoding.UTF8.GetBytes(Note);
        for (var i = 0; i < bytes.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                bytes[i] ^= (byte)(1 << bit);
                var result = SignedNote.Open(bytes, Keys);
                bytes[i] ^= (byte)(1 << bit);

                Assert.False(result.IsValid, $"flipping bit {bit} of byte {i} still verifies");
            }
        }
    }

    [Fact]
    public void Open_AnyTruncation_IsRejected()
    {
        for (var length = 0; length < Note.Length; length++)
        {
            Assert.False(Open(Note[..length]).IsValid, $"prefix of {length} characters verifies");
        }
    }

    [Property(MaxTest = 500)]
    public void Open_ArbitraryString_NeverThrows(string? note)
    {
        var result = Open(note ?? string.Empty);

        Assert.NotNull(result.Message);
        Assert.Equal(result.IsValid, result.Text is not null);
    }

    [Property(MaxTest = 500)]
    public void Open_ArbitraryBytes_NeverThrows(byte[]? note)
    {
        var result = SignedNote.Open(note ?? [], Keys);

        Assert.False(result.IsValid);
    }

    [Property(MaxTest = 500)]
    public void Open_ValidNoteWithArbitrarySuffix_NeverThrows(string? suffix)
    {
        var result = Open(Note + "\u2014 " + suffix);

        Assert.NotNull(result.Message);
    }

    [Property(MaxTest = 300)]
    public void Open_ArbitraryBitFlipInArbitraryText_IsRejected(NonEmptyString text, PositiveInt position, byte bit)
    {
        var clean = new string(text.Get.Where(c => c >= 0x20 && !char.IsSurrogate(c)).ToArray()) + "\n";
        var bytes = Encoding.UTF8.GetBytes(Signer.Sign(clean));
        var i = position.Get % bytes.Length;
        bytes[i] ^= (byte)(1 << (bit % 8));

        Assert.False(SignedNote.Open(bytes, Keys).IsValid);
    }

    private static string UnknownLines(int count)
    {
        var lines = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            lines.Append($"\u2014 witness{i}.example {Convert.ToBase64String(new byte[68])}\n");
        }

        return lines.ToString();
    }

    private static string NonCanonical(string field)
    {
        // 68 bytes encode as 92 characters ending "X=" where X carries 2 unused low bits; set one of them.
        var chars = field.ToCharArray();
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var value = Alphabet.IndexOf(chars[^2], StringComparison.Ordinal);
        chars[^2] = Alphabet[value | 1];
        return new string(chars);
    }
}
