using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using EvidenceChain.Core.Internal;
using EvidenceChain.Core.Notes.Internal;

namespace EvidenceChain.Core.Notes;

/// <summary>
/// Ed25519 cosignatures (c2sp.org/tlog-cosignature, <c>cosignature/v1</c>): a witness's timestamped signature over a
/// checkpoint's note body, written as one more signed-note signature line
/// <c>— name base64(key ID || 8-byte big-endian timestamp || 64-byte Ed25519 signature)</c>. The signed message is
/// <c>cosignature/v1\n</c>, <c>time T\n</c> (T in decimal) and the whole checkpoint body. See docs/formats.md §6b.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. A cosignature line sits after the log's own signature lines; a verifier that knows only
/// the log key ignores it, as signed-note requires for unknown keys.
/// </remarks>
public static class Cosignature
{
    /// <summary>The first line of every signed message, for domain separation (without its newline).</summary>
    public const string Header = "cosignature/v1";

    /// <summary>The length of the signature field after the key ID: an 8-byte timestamp and a 64-byte signature.</summary>
    public const int TimestampedSignatureSize = TimestampSize + Ed25519Kernel.SignatureSize;

    /// <summary>The largest timestamp the spec allows, 2^63 - 1 seconds.</summary>
    public const ulong MaxTimestamp = long.MaxValue;

    private const int TimestampSize = 8;

    /// <summary>
    /// Cosigns <paramref name="checkpointBody"/> at <paramref name="timestamp"/> (POSIX seconds) and returns the
    /// signature line, ending in a newline: <c>— name base64(key ID || timestamp || signature)\n</c>. Appending it to
    /// the signed checkpoint gives the cosigned checkpoint.
    /// </summary>
    /// <remarks>
    /// The body is the note text the log signed: its lines up to and including the newline before the blank line
    /// (<see cref="SignedNote.TextOf(string)"/>). Core only checks it is valid note text; that it is a checkpoint the
    /// witness may cosign is the caller's decision. Requires 1 &lt;= timestamp &lt;= <see cref="MaxTimestamp"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">The body is not valid note text.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The timestamp is 0 or above <see cref="MaxTimestamp"/>.</exception>
    public static string Sign(WitnessSigner signer, ulong timestamp, string checkpointBody)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(checkpointBody);
        ArgumentOutOfRangeException.ThrowIfZero(timestamp);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timestamp, MaxTimestamp);
        if (!NoteSyntax.IsValidText(checkpointBody, out var error))
        {
            throw new ArgumentException($"Cannot cosign this text: {error}.", nameof(checkpointBody));
        }

        var field = new byte[NoteSyntax.KeyIdSize + TimestampedSignatureSize];
        BinaryPrimitives.WriteUInt32BigEndian(field, signer.KeyId);
        BinaryPrimitives.WriteUInt64BigEndian(field.AsSpan(NoteSyntax.KeyIdSize), timestamp);
        signer.SignBytes(Message(timestamp, checkpointBody), field.AsSpan(NoteSyntax.KeyIdSize + TimestampSize));
        return $"{NoteSyntax.SignatureLinePrefixText}{signer.Name} {Convert.ToBase64String(field)}\n";
    }

    /// <summary>
    /// Checks that <paramref name="line"/> is a valid cosignature by <paramref name="key"/> over
    /// <paramref name="checkpointBody"/> and returns its timestamp. False, with timestamp 0, when the line's name or key
    /// ID is not the key's, the field is not 4 + 72 bytes, the timestamp is above <see cref="MaxTimestamp"/>, the body
    /// is not valid note text or the signature does not verify. Never throws for untrusted input.
    /// </summary>
    /// <remarks>
    /// Does not judge the timestamp's age; a verifier may refuse one in its future. The body is compared byte for
    /// byte, so a cosignature covers exactly one checkpoint text, extension lines included.
    /// </remarks>
    public static bool TryVerify(WitnessKey key, string checkpointBody, NoteSignature line, out ulong timestamp)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(checkpointBody);
        ArgumentNullException.ThrowIfNull(line);
        timestamp = 0;
        if (line.KeyId != key.KeyId
            || !string.Equals(line.Name, key.Name, StringComparison.Ordinal)
            || !TryDecodeField(line, out var field, out var claimed)
            || !NoteSyntax.IsValidText(checkpointBody, out _))
        {
            return false;
        }

        if (!key.VerifyBytes(Message(claimed, checkpointBody), field.AsSpan(NoteSyntax.KeyIdSize + TimestampSize)))
        {
            return false;
        }

        timestamp = claimed;
        return true;
    }

    /// <summary>
    /// Reads the timestamp of a cosignature line without verifying it (for display, or to pick the newest of several).
    /// False when the field is not 4 + 72 bytes or the timestamp is above <see cref="MaxTimestamp"/>.
    /// </summary>
    public static bool TryReadTimestamp(NoteSignature line, out ulong timestamp)
    {
        ArgumentNullException.ThrowIfNull(line);
        return TryDecodeField(line, out _, out timestamp);
    }

    /// <summary>
    /// Parses one signature line, <c>— name base64(key ID || signature)</c>, with or without its final newline: for
    /// example a line of a witness's <c>add-checkpoint</c> response. Checks the syntax only; never throws for any text.
    /// </summary>
    public static bool TryParseLine(string? text, [NotNullWhen(true)] out NoteSignature? line)
    {
        line = null;
        if (text is null || text.Length > SignedNote.MaxNoteBytes)
        {
            return false;
        }

        var body = text.EndsWith('\n') ? text.AsSpan(0, text.Length - 1) : text.AsSpan();
        if (body.Contains('\n') || !NoteSyntax.HasOnlyLineCharacters(body, allowNewline: false, out _))
        {
            return false;
        }

        if (!NoteReader.TryParseLine(Encoding.UTF8.GetBytes(body.ToString()), out var parsed, out _, out _))
        {
            return false;
        }

        line = parsed;
        return true;
    }

    /// <summary>The signed message: <c>cosignature/v1\ntime T\n</c> and the body, in UTF-8.</summary>
    private static byte[] Message(ulong timestamp, string checkpointBody) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Header}\ntime {timestamp}\n{checkpointBody}"));

    private static bool TryDecodeField(NoteSignature line, out byte[] field, out ulong timestamp)
    {
        timestamp = 0;
        if (!NoteSyntax.TryDecodeBase64(line.Base64, out field)
            || field.Length != NoteSyntax.KeyIdSize + TimestampedSignatureSize)
        {
            return false;
        }

        var claimed = BinaryPrimitives.ReadUInt64BigEndian(field.AsSpan(NoteSyntax.KeyIdSize));
        if (claimed > MaxTimestamp)
        {
            return false;
        }

        timestamp = claimed;
        return true;
    }
}
