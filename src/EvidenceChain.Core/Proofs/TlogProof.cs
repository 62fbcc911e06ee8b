using System.Globalization;
using System.Text;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Notes.Internal;

namespace EvidenceChain.Core.Proofs;

/// <summary>
/// An offline-verifiable transparency-log proof in the C2SP tlog-proof@v1 text format (c2sp.org/tlog-proof): the
/// entry's index, its RFC 6962 inclusion path (leaf sibling first) and the signed checkpoint, verbatim, plus optional
/// unauthenticated extra data. Layout: <c>c2sp.org/tlog-proof@v1</c>, optionally <c>extra base64</c>,
/// <c>index N</c>, one base64 hash per line, an empty line, then the signed checkpoint note.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Nothing here is verified: <see cref="Checkpoint"/> is whatever the proof carries and
/// must be opened under a pinned key (<see cref="CheckpointNote.Open(string, NoteVerifier)"/>) before the path means
/// anything. <see cref="Encode"/> and <see cref="Parse(string)"/> round-trip exactly; parsing accepts only the
/// canonical spelling (no leading zeros, canonical padded base64, LF line ends).
/// </remarks>
public sealed class TlogProof
{
    /// <summary>The first line of every proof.</summary>
    public const string Header = "c2sp.org/tlog-proof@v1";

    /// <summary>The most inclusion-path hashes accepted: a tree of up to 2^64 leaves needs at most 64.</summary>
    public const int MaxHashes = 64;

    /// <summary>The largest encoded proof accepted, in UTF-8 bytes: the largest signed note plus room for the rest.</summary>
    public const int MaxEncodedBytes = SignedNote.MaxNoteBytes + (64 * 1024);

    private const string ExtraPrefix = "extra ";
    private const string IndexPrefix = "index ";

    private readonly Hash[] _hashes;
    private readonly byte[]? _extra;

    /// <summary>Creates a proof.</summary>
    /// <param name="index">The entry's zero-based index in the log.</param>
    /// <param name="hashes">The inclusion path, leaf sibling first, at most <see cref="MaxHashes"/>.</param>
    /// <param name="checkpoint">
    /// The signed checkpoint note, verbatim: non-empty text ending with a newline, holding the blank line that
    /// separates a signed note's text from its signatures.
    /// </param>
    /// <param name="extra">Opaque, unauthenticated extra data; null for none. Must not be empty when given.</param>
    /// <exception cref="ArgumentException">A rule above is broken.</exception>
    public TlogProof(ulong index, IEnumerable<Hash> hashes, string checkpoint, ReadOnlySpan<byte> extra = default)
        : this(index, hashes?.ToArray() ?? throw new ArgumentNullException(nameof(hashes)), checkpoint, extra.IsEmpty ? null : extra.ToArray())
    {
    }

    private TlogProof(ulong index, Hash[] hashes, string checkpoint, byte[]? extra)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hashes.Length, MaxHashes, nameof(hashes));
        if (!IsCheckpointShaped(checkpoint, out var error))
        {
            throw new ArgumentException($"The checkpoint cannot go in a proof: {error}.", nameof(checkpoint));
        }

        Index = index;
        _hashes = hashes;
        Checkpoint = checkpoint;
        _extra = extra;
    }

    /// <summary>The entry's zero-based index in the log.</summary>
    public ulong Index { get; }

    /// <summary>The inclusion path, from the leaf's sibling up to the root's child (RFC 6962 §2.1.1).</summary>
    public ReadOnlySpan<Hash> Hashes => _hashes;

    /// <summary>The signed checkpoint note, verbatim (unverified).</summary>
    public string Checkpoint { get; }

    /// <summary>True when the proof carries an <c>extra</c> line.</summary>
    public bool HasExtra => _extra is not null;

    /// <summary>The unauthenticated extra data; empty when there is none. Never trust it.</summary>
    public ReadOnlySpan<byte> Extra => _extra;

    /// <summary>
    /// The checkpoint's note text: the part of <see cref="Checkpoint"/> its signatures cover, up to and including the
    /// newline before the blank line (<c>origin\nsize\nroot\n</c> plus any extension lines).
    /// </summary>
    public string CheckpointText => SignedNote.TextOf(Checkpoint)!; // parsing checked that it has a blank line

    /// <summary>The proof's text form.</summary>
    public string Encode()
    {
        var text = new StringBuilder(Checkpoint.Length + 64 + (_hashes.Length * 45));
        text.Append(Header).Append('\n');
        if (_extra is not null)
        {
            text.Append(ExtraPrefix).Append(Convert.ToBase64String(_extra)).Append('\n');
        }

        text.Append(IndexPrefix).Append(Index.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var hash in _hashes)
        {
            text.Append(hash.ToBase64()).Append('\n');
        }

        return text.Append('\n').Append(Checkpoint).ToString();
    }

    /// <summary>The proof's text form as UTF-8 bytes, as stored in a <c>.tlog-proof</c> file.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes(Encode());

    /// <summary>Parses a proof from its UTF-8 bytes.</summary>
    /// <exception cref="FormatException">The bytes are not a proof; the message names the line and says why.</exception>
    public static TlogProof Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxEncodedBytes)
        {
            throw new FormatException(string.Create(
                CultureInfo.InvariantCulture, $"Not a tlog-proof: {utf8.Length} bytes; at most {MaxEncodedBytes} are accepted."));
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException("Not a tlog-proof: the bytes are not UTF-8.");
        }

        return Parse(text);
    }

    /// <summary>Parses a proof's text.</summary>
    /// <exception cref="FormatException">The text is not a proof; the message names the line and says why.</exception>
    public static TlogProof Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var proof, out var error) ? proof : throw new FormatException($"Not a tlog-proof: {error}.");
    }

    /// <summary>Parses a proof's text, or returns false and the reason (naming the line). Never throws.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TlogProof? proof, out string error)
    {
        proof = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "the text is empty";
            return false;
        }

        if (text.Length > MaxEncodedBytes)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{text.Length} characters; at most {MaxEncodedBytes} are accepted");
            return false;
        }

        var position = 0;
        var line = 1;
        if (!NextLine(text, ref position, out var current) || !string.Equals(current, Header, StringComparison.Ordinal))
        {
            error = $"line 1 must be {Header}, not {NoteSyntax.Quote(current)}";
            return false;
        }

        byte[]? extra = null;
        if (!NextLine(text, ref position, out current))
        {
            error = "the text ends after line 1; an index line must follow";
            return false;
        }

        line++;
        if (current.StartsWith(ExtraPrefix, StringComparison.Ordinal))
        {
            if (!NoteSyntax.TryDecodeBase64(current.AsSpan(ExtraPrefix.Length), out extra))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"line {line}: the extra data is not non-empty canonical standard base64");
                return false;
            }

            if (!NextLine(text, ref position, out current))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"the text ends after line {line}; an index line must follow");
                return false;
            }

            line++;
        }

        if (!current.StartsWith(IndexPrefix, StringComparison.Ordinal) || !TryParseIndex(current.AsSpan(IndexPrefix.Length), out var index))
        {
            error = string.Create(
                CultureInfo.InvariantCulture,
                $"line {line} must be \"index N\" with N in decimal without leading zeros, not {NoteSyntax.Quote(current)}");
            return false;
        }

        var hashes = new List<Hash>();
        while (true)
        {
            if (!NextLine(text, ref position, out current))
            {
                error = string.Create(
                    CultureInfo.InvariantCulture, $"the text ends after line {line}; an empty line and the checkpoint must follow");
                return false;
            }

            line++;
            if (current.Length == 0)
            {
                break;
            }

            if (hashes.Count == MaxHashes)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"line {line}: more than {MaxHashes} proof hashes");
                return false;
            }

            if (!NoteSyntax.TryDecodeBase64(current, out var bytes) || !Hash.TryFromBytes(bytes, out var hash))
            {
                error = string.Create(
                    CultureInfo.InvariantCulture,
                    $"line {line}: {NoteSyntax.Quote(current)} is not a proof hash (canonical standard base64 of {Hash.Size} bytes)");
                return false;
            }

            hashes.Add(hash);
        }

        var checkpoint = text[position..];
        if (!IsCheckpointShaped(checkpoint, out error))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"the checkpoint from line {line + 1}: {error}");
            return false;
        }

        proof = new TlogProof(index, [.. hashes], checkpoint, extra);
        error = string.Empty;
        return true;
    }

    /// <summary>The line starting at <paramref name="position"/>, without its newline; false when none ends there.</summary>
    private static bool NextLine(string text, ref int position, out string line)
    {
        var end = text.IndexOf('\n', position);
        if (end < 0)
        {
            line = text[position..];
            return false;
        }

        line = text[position..end];
        position = end + 1;
        return true;
    }

    private static bool TryParseIndex(ReadOnlySpan<char> text, out ulong index)
    {
        index = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return text.Length > 0
            && (text.Length == 1 || text[0] != '0')
            && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    /// <summary>
    /// The structural rules a verbatim checkpoint must meet to be carried (its signatures are checked elsewhere):
    /// non-empty note text, a blank line, at least one signature line, and a final newline.
    /// </summary>
    private static bool IsCheckpointShaped(string checkpoint, out string error)
    {
        if (checkpoint.Length == 0)
        {
            error = "it is missing";
            return false;
        }

        if (checkpoint[^1] != '\n')
        {
            error = "it does not end with a newline";
            return false;
        }

        var blank = checkpoint.IndexOf("\n\n", StringComparison.Ordinal);
        if (blank <= 0 || blank + 2 >= checkpoint.Length)
        {
            error = "it is not a signed note (note text, an empty line, then signature lines)";
            return false;
        }

        if (checkpoint[0] == '\n')
        {
            error = "it starts with an empty line";
            return false;
        }

        return NoteSyntax.HasOnlyLineCharacters(checkpoint, allowNewline: true, out error);
    }
}
