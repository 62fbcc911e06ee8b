using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace EvidenceChain.Core.Notes.Internal;

/// <summary>Parses and verifies untrusted signed notes for <see cref="SignedNote"/>. Total: never throws for note bytes.</summary>
internal static class NoteReader
{
    public static Dictionary<(string Name, uint KeyId), NoteVerifier> IndexKeys(IReadOnlyCollection<NoteVerifier> knownKeys)
    {
        ArgumentNullException.ThrowIfNull(knownKeys);
        var index = new Dictionary<(string, uint), NoteVerifier>(knownKeys.Count);
        foreach (var key in knownKeys)
        {
            if (key is null)
            {
                throw new ArgumentException("The known keys include null.", nameof(knownKeys));
            }

            if (index.TryGetValue((key.Name, key.KeyId), out var other) && !other.Equals(key))
            {
                throw new ArgumentException(
                    $"Two different known keys share the name and key ID {key.Name}+{NoteSyntax.FormatKeyId(key.KeyId)}.",
                    nameof(knownKeys));
            }

            index[(key.Name, key.KeyId)] = key;
        }

        return index;
    }

    public static NoteOpenResult TooLarge(long size, string unit) =>
        NoteOpenResult.Fail(
            NoteFailure.Malformed,
            string.Create(CultureInfo.InvariantCulture, $"note is {size} {unit}; a note is at most {SignedNote.MaxNoteBytes} bytes"));

    public static NoteOpenResult Open(ReadOnlySpan<byte> note, Dictionary<(string Name, uint KeyId), NoteVerifier> keys)
    {
        if (note.Length > SignedNote.MaxNoteBytes)
        {
            return TooLarge(note.Length, "bytes");
        }

        if (!NoteSyntax.IsValidNoteBytes(note, out var error))
        {
            return Malformed(error);
        }

        // The text may hold blank lines; the last one separates it from the signatures.
        var split = note.LastIndexOf("\n\n"u8);
        if (split < 0)
        {
            return Malformed("no blank line separates the text from the signatures");
        }

        var text = note[..(split + 1)];
        var lines = note[(split + 2)..];
        if (lines.IsEmpty)
        {
            return Malformed("no signature lines follow the last blank line");
        }

        if (lines[^1] != (byte)'\n')
        {
            return Malformed("the last signature line does not end with a newline");
        }

        var signatures = new List<(NoteSignature Signature, byte[] Raw)>();
        while (!lines.IsEmpty)
        {
            var end = lines.IndexOf((byte)'\n');
            var line = lines[..end];
            lines = lines[(end + 1)..];
            if (signatures.Count == SignedNote.MaxSignatures)
            {
                return NoteOpenResult.Fail(
                    NoteFailure.TooManySignatures,
                    string.Create(CultureInfo.InvariantCulture, $"note has more than {SignedNote.MaxSignatures} signature lines"));
            }

            if (!TryParseLine(line, out var signature, out var raw, out error))
            {
                return Malformed(string.Create(CultureInfo.InvariantCulture, $"signature line {signatures.Count + 1}: {error}"));
            }

            signatures.Add((signature, raw));
        }

        return Verify(text, signatures, keys);
    }

    private static NoteOpenResult Verify(
        ReadOnlySpan<byte> text,
        List<(NoteSignature Signature, byte[] Raw)> signatures,
        Dictionary<(string Name, uint KeyId), NoteVerifier> keys)
    {
        var verified = new List<NoteSignature>();
        var verifiedKeys = new HashSet<(string, uint)>();
        var unknown = new List<NoteSignature>();
        var unknownLines = new HashSet<(string, string)>();
        foreach (var (signature, raw) in signatures)
        {
            if (!keys.TryGetValue((signature.Name, signature.KeyId), out var key))
            {
                if (unknownLines.Add((signature.Name, signature.Base64)))
                {
                    unknown.Add(signature);
                }

                continue;
            }

            // Every signature by a known key is checked, repeats included, so a bad copy cannot hide behind a good one.
            if (!key.Verify(text, raw.AsSpan(NoteSyntax.KeyIdSize)))
            {
                return NoteOpenResult.BadSignature(signature);
            }

            if (verifiedKeys.Add((signature.Name, signature.KeyId)))
            {
                verified.Add(signature);
            }
        }

        if (verified.Count == 0)
        {
            var message = unknown.Count == 0
                ? "no signature by a known key"
                : $"no signature by a known key; signed only by {Describe(unknown)}";
            return NoteOpenResult.Unverified(message, unknown);
        }

        return NoteOpenResult.Verified(Encoding.UTF8.GetString(text), verified, unknown);
    }

    /// <summary>Parses one signature line without its newline: <c>— name base64(key ID || signature)</c>.</summary>
    internal static bool TryParseLine(ReadOnlySpan<byte> line, out NoteSignature signature, out byte[] raw, out string error)
    {
        signature = null!;
        raw = [];
        if (!line.StartsWith(NoteSyntax.SignatureLinePrefix))
        {
            error = "does not start with an em dash (U+2014) and a space";
            return false;
        }

        // The note is valid UTF-8 and the prefix ends in ASCII, so the rest decodes losslessly.
        var rest = Encoding.UTF8.GetString(line[NoteSyntax.SignatureLinePrefix.Length..]);
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            error = "no space between the key name and the signature";
            return false;
        }

        var name = rest[..space];
        var base64 = rest[(space + 1)..];
        if (!NoteSyntax.IsValidName(name, out error))
        {
            error = $"key name {NoteSyntax.Quote(name)} is invalid: {error}";
            return false;
        }

        if (!NoteSyntax.TryDecodeBase64(base64, out raw))
        {
            error = $"signature {NoteSyntax.Quote(base64)} is not canonical standard base64";
            return false;
        }

        if (raw.Length <= NoteSyntax.KeyIdSize)
        {
            error = string.Create(
                CultureInfo.InvariantCulture,
                $"signature is {raw.Length} bytes; it needs a 4-byte key ID and at least one byte of signature");
            return false;
        }

        signature = new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(raw), base64);
        error = string.Empty;
        return true;
    }

    private static NoteOpenResult Malformed(string error) => NoteOpenResult.Fail(NoteFailure.Malformed, error);

    private static string Describe(List<NoteSignature> signatures)
    {
        const int Shown = 5;
        var names = string.Join(", ", signatures.Take(Shown).Select(s => NoteSyntax.Quote(s.ToString())));
        return signatures.Count <= Shown
            ? $"unknown keys {names}"
            : string.Create(CultureInfo.InvariantCulture, $"unknown keys {names} and {signatures.Count - Shown} more");
    }
}
