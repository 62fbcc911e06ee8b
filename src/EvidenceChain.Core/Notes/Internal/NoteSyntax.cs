using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace EvidenceChain.Core.Notes.Internal;

/// <summary>
/// The lexical rules of c2sp.org/signed-note@v1.0.0: key names, note text, key IDs and base64 fields.
/// Every method is total: it reports bad input and never throws for it.
/// </summary>
internal static class NoteSyntax
{
    /// <summary>The signature type byte of Ed25519 in key strings and key ID input.</summary>
    public const byte Ed25519Type = 0x01;

    /// <summary>
    /// The type byte signed-note reserves for signature types it does not assign; a longer identifier follows it.
    /// </summary>
    public const byte OtherType = 0xff;

    /// <summary>
    /// The signature type byte of an Ed25519 cosigner key (c2sp.org/tlog-cosignature): its vkey data and key ID input
    /// start with it instead of <see cref="Ed25519Type"/>.
    /// </summary>
    public const byte CosignatureV1Type = 0x04;

    public const int KeyIdSize = 4;

    private static readonly byte[] Ed25519TypeBytes = [Ed25519Type];

    private static readonly byte[] Sm2TypeBytes = [OtherType, .. "evidencechain/sm2-sm3/v1"u8];

    /// <summary>
    /// The signature type bytes of <see cref="NoteKeyType.Sm2"/>: 0xff and the 24-byte ASCII identifier
    /// <c>evidencechain/sm2-sm3/v1</c>. The identifier has a fixed length and is compared whole, so where the type
    /// bytes end and the key starts is never ambiguous.
    /// </summary>
    public static ReadOnlySpan<byte> Sm2Type => Sm2TypeBytes;

    /// <summary>The start of every signature line: EM DASH (U+2014) and a space, in UTF-8.</summary>
    public static ReadOnlySpan<byte> SignatureLinePrefix => "\u2014 "u8;

    public const string SignatureLinePrefixText = "\u2014 ";

    /// <summary>
    /// A key name is non-empty, well-formed, and holds no Unicode white space, no plus sign and no control
    /// character below U+0020.
    /// </summary>
    public static bool IsValidName(ReadOnlySpan<char> name, out string error)
    {
        if (name.IsEmpty)
        {
            error = "a key name must not be empty";
            return false;
        }

        var rest = name;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                error = "a key name must be well-formed Unicode (it holds an unpaired surrogate)";
                return false;
            }

            if (rune.Value == '+')
            {
                error = "a key name must not contain '+'";
                return false;
            }

            if (Rune.IsWhiteSpace(rune) || rune.Value < 0x20)
            {
                error = string.Create(
                    CultureInfo.InvariantCulture,
                    $"a key name must not contain white space or control characters (found U+{rune.Value:X4})");
                return false;
            }

            rest = rest[used..];
        }

        error = string.Empty;
        return true;
    }

    /// <summary>
    /// Note text as a string: non-empty, ends with a newline, well-formed UTF-16, and no control character below
    /// U+0020 other than newline. Empty lines are allowed.
    /// </summary>
    public static bool IsValidText(string text, out string error)
    {
        if (text.Length == 0 || text[^1] != '\n')
        {
            error = "note text must be non-empty and end with a newline";
            return false;
        }

        return HasOnlyLineCharacters(text, allowNewline: true, out error);
    }

    /// <summary>Well-formed UTF-16 and no control character below U+0020 (other than newline when allowed).</summary>
    public static bool HasOnlyLineCharacters(ReadOnlySpan<char> text, bool allowNewline, out string error)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x20 && !(allowNewline && c == '\n'))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"control character U+{(int)c:X4} at offset {i}");
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"unpaired surrogate at offset {i}");
                return false;
            }
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Valid UTF-8 with no control byte below 0x20 other than newline (the whole-note rule).</summary>
    public static bool IsValidNoteBytes(ReadOnlySpan<byte> note, out string error)
    {
        if (!Utf8.IsValid(note))
        {
            error = "note is not valid UTF-8";
            return false;
        }

        // In UTF-8 every byte below 0x80 is the ASCII character itself, so a byte scan finds every control.
        for (var i = 0; i < note.Length; i++)
        {
            if (note[i] < 0x20 && note[i] != (byte)'\n')
            {
                error = string.Create(CultureInfo.InvariantCulture, $"note holds control byte 0x{note[i]:x2} at offset {i}");
                return false;
            }
        }

        error = string.Empty;
        return true;
    }

    /// <summary>The signature type bytes of <paramref name="type"/>: the prefix of its key data and of its key ID input.</summary>
    public static ReadOnlySpan<byte> TypeBytes(NoteKeyType type) =>
        type == NoteKeyType.Sm2 ? Sm2TypeBytes : Ed25519TypeBytes;

    /// <summary>SHA-256(name || 0x0A || signature type bytes || public key)[:4], read big-endian.</summary>
    public static uint ComputeKeyId(string name, NoteKeyType type, ReadOnlySpan<byte> publicKey) =>
        ComputeKeyId(name, TypeBytes(type), publicKey);

    /// <summary>SHA-256(name || 0x0A || <paramref name="typeBytes"/> || public key)[:4], read big-endian.</summary>
    public static uint ComputeKeyId(string name, ReadOnlySpan<byte> typeBytes, ReadOnlySpan<byte> publicKey)
    {
        var nameLength = Encoding.UTF8.GetByteCount(name);
        var input = new byte[nameLength + 1 + typeBytes.Length + publicKey.Length];
        Encoding.UTF8.GetBytes(name, input);
        input[nameLength] = (byte)'\n';
        typeBytes.CopyTo(input.AsSpan(nameLength + 1));
        publicKey.CopyTo(input.AsSpan(nameLength + 1 + typeBytes.Length));
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, digest);
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }

    /// <summary>Exactly eight hex digits, either case.</summary>
    public static bool TryParseKeyId(ReadOnlySpan<char> text, out uint keyId)
    {
        keyId = 0;
        if (text.Length != 2 * KeyIdSize)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out keyId);
    }

    public static string FormatKeyId(uint keyId) => keyId.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>
    /// Decodes standard base64 (RFC 4648 section 4) only in its canonical form: padded, no white space, and zero
    /// unused bits, so that each byte string has exactly one accepted spelling.
    /// </summary>
    public static bool TryDecodeBase64(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.IsEmpty || text.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64Chars(text, buffer, out var written))
        {
            return false;
        }

        var decoded = buffer.AsSpan(0, written);
        var canonical = Convert.ToBase64String(decoded);
        if (!text.SequenceEqual(canonical))
        {
            return false;
        }

        bytes = decoded.ToArray();
        return true;
    }

    /// <summary>Quotes untrusted text for a message, shortened so hostile input cannot flood logs.</summary>
    public static string Quote(ReadOnlySpan<char> text)
    {
        const int Limit = 64;
        if (text.Length <= Limit)
        {
            return $"\"{text}\"";
        }

        var cut = char.IsHighSurrogate(text[Limit - 1]) ? Limit - 1 : Limit;
        return string.Create(CultureInfo.InvariantCulture, $"\"{text[..cut]}...\" ({text.Length} characters)");
    }
}
