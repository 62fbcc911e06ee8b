using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using EvidenceChain.Core.Notes.Internal;

namespace EvidenceChain.Core.Notes;

/// <summary>
/// Signs and opens C2SP signed notes (c2sp.org/signed-note@v1.0.0) with Ed25519 and SM2 keys: text ending in a
/// newline, a blank line, then lines <c>— name base64(key ID || signature)</c>.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class SignedNote
{
    /// <summary>The largest note accepted or produced, in UTF-8 bytes (1 MiB).</summary>
    public const int MaxNoteBytes = 1 << 20;

    /// <summary>The most signature lines accepted or produced (the spec requires accepting at least 16).</summary>
    public const int MaxSignatures = 100;

    /// <summary>
    /// Signs <paramref name="text"/> with each signer, in order, one signature line each, and returns the signed
    /// note. Signers of different types may be mixed, for example a log's Ed25519 key and its SM2 key.
    /// </summary>
    /// <remarks>
    /// The text must be non-empty, end with a newline, be well-formed Unicode and hold no control character
    /// below U+0020 other than newline; it may hold empty lines. Every signer signs its UTF-8 bytes.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The text breaks a rule above; no signers, a null signer, or the same key twice; more than
    /// <see cref="MaxSignatures"/> signers; or the note would exceed <see cref="MaxNoteBytes"/>.
    /// </exception>
    public static string Sign(string text, params NoteSigner[] signers)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signers);
        if (!NoteSyntax.IsValidText(text, out var error))
        {
            throw new ArgumentException($"Cannot sign this text: {error}.", nameof(text));
        }

        CheckSigners(signers);
        var message = Encoding.UTF8.GetBytes(text);
        var note = new StringBuilder(text, text.Length + 1 + (signers.Length * 128));
        note.Append('\n');
        foreach (var signer in signers)
        {
            var signature = signer.SignBytes(message);
            var field = new byte[NoteSyntax.KeyIdSize + signature.Length];
            BinaryPrimitives.WriteUInt32BigEndian(field, signer.KeyId);
            signature.CopyTo(field, NoteSyntax.KeyIdSize);
            note.Append(NoteSyntax.SignatureLinePrefixText)
                .Append(signer.Name)
                .Append(' ')
                .Append(Convert.ToBase64String(field))
                .Append('\n');
        }

        var result = note.ToString();
        var size = Encoding.UTF8.GetByteCount(result);
        if (size > MaxNoteBytes)
        {
            throw new ArgumentException(
                $"The signed note would be {size} bytes; notes are at most {MaxNoteBytes}.", nameof(text));
        }

        return result;
    }

    /// <summary>
    /// The note text of a signed note: the bytes its signatures cover, up to and including the first newline of
    /// the last blank line (the text may itself hold blank lines). Null when the note has no blank line. This is
    /// also what an RFC 3161 token over a checkpoint covers (docs/formats.md §12). Does not verify anything.
    /// </summary>
    public static string? TextOf(string note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        return split < 0 ? null : note[..(split + 1)];
    }

    /// <summary>
    /// Opens an untrusted signed note and checks its signatures against <paramref name="knownKeys"/>. Never
    /// throws for any note text.
    /// </summary>
    /// <remarks>
    /// The note verifies when it is well-formed, at least one known key signed it and every signature by a known
    /// key (same name and key ID) verifies. Signatures by other keys are ignored and reported in
    /// <see cref="NoteOpenResult.UnknownSignatures"/>. A string with unpaired surrogates is malformed.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// <paramref name="knownKeys"/> holds a null, or two different keys with the same name and key ID.
    /// </exception>
    public static NoteOpenResult Open(string note, IReadOnlyCollection<NoteVerifier> knownKeys)
    {
        ArgumentNullException.ThrowIfNull(note);
        var keys = NoteReader.IndexKeys(knownKeys);
        if (note.Length > MaxNoteBytes)
        {
            return NoteReader.TooLarge(note.Length, "characters");
        }

        var bytes = new byte[Encoding.UTF8.GetByteCount(note)];
        if (Utf8.FromUtf16(note, bytes, out _, out var written, replaceInvalidSequences: false)
            != System.Buffers.OperationStatus.Done)
        {
            return NoteOpenResult.Fail(NoteFailure.Malformed, "note is not well-formed Unicode (unpaired surrogate)");
        }

        return NoteReader.Open(bytes.AsSpan(0, written), keys);
    }

    /// <summary>
    /// Opens an untrusted signed note given as UTF-8 bytes, as <see cref="Open(string, IReadOnlyCollection{NoteVerifier})"/>
    /// does. Never throws for any bytes.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="knownKeys"/> holds a null, or two different keys with the same name and key ID.
    /// </exception>
    public static NoteOpenResult Open(ReadOnlySpan<byte> note, IReadOnlyCollection<NoteVerifier> knownKeys) =>
        NoteReader.Open(note, NoteReader.IndexKeys(knownKeys));

    private static void CheckSigners(NoteSigner[] signers)
    {
        if (signers.Length == 0)
        {
            throw new ArgumentException("A note needs at least one signer.", nameof(signers));
        }

        if (signers.Length > MaxSignatures)
        {
            throw new ArgumentException(
                $"A note has at most {MaxSignatures} signatures; got {signers.Length} signers.", nameof(signers));
        }

        var seen = new HashSet<(string, uint)>();
        foreach (var signer in signers)
        {
            if (signer is null)
            {
                throw new ArgumentException("The signers include null.", nameof(signers));
            }

            if (!seen.Add((signer.Name, signer.KeyId)))
            {
                throw new ArgumentException($"The key {signer} is given twice.", nameof(signers));
            }
        }
    }
}
