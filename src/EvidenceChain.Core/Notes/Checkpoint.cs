using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using EvidenceChain.Core.Notes.Internal;

namespace EvidenceChain.Core.Notes;

/// <summary>
/// The body of a transparency-log checkpoint (c2sp.org/tlog-checkpoint@v1.0.0): the log's origin, the tree size
/// and the RFC 6962 root hash at that size, plus optional extension lines.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Its note text is <c>origin\nsize\nbase64(root)\n</c> followed by one line per
/// extension; <see cref="ToNoteText()"/> and <see cref="TryParse(string?, out Checkpoint?, out string)"/>
/// round-trip exactly. Equal when origin, size, root and extensions are equal.
/// </remarks>
public sealed class Checkpoint : IEquatable<Checkpoint>
{
    /// <summary>Creates a checkpoint body.</summary>
    /// <param name="origin">The log's identity, usually its key name; non-empty, one line.</param>
    /// <param name="size">The number of leaves in the tree.</param>
    /// <param name="root">The Merkle root at <paramref name="size"/>.</param>
    /// <param name="extensions">Extension lines, each non-empty and one line; none when null.</param>
    /// <exception cref="ArgumentException">
    /// The origin or an extension is empty, holds a newline or another control character below U+0020, or is
    /// not well-formed Unicode.
    /// </exception>
    public Checkpoint(string origin, ulong size, Hash root, IEnumerable<string>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (!IsValidLine(origin, out var error))
        {
            throw new ArgumentException($"Invalid checkpoint origin {NoteSyntax.Quote(origin)}: {error}.", nameof(origin));
        }

        var lines = extensions?.ToArray() ?? [];
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i] is null)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Checkpoint extension {i} is null."), nameof(extensions));
            }

            if (!IsValidLine(lines[i], out error))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Invalid checkpoint extension {i}: {error}."),
                    nameof(extensions));
            }
        }

        Origin = origin;
        Size = size;
        Root = root;
        Extensions = new ReadOnlyCollection<string>(lines);
    }

    /// <summary>The log's origin line, for example <c>example.com/log</c>.</summary>
    public string Origin { get; }

    /// <summary>The tree size: the number of leaves the root covers.</summary>
    public ulong Size { get; }

    /// <summary>The RFC 6962 Merkle root of the first <see cref="Size"/> leaves.</summary>
    public Hash Root { get; }

    /// <summary>The extension lines after the root, possibly none. Read-only.</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The note text: <c>origin\nsize\nbase64(root)\n</c> then each extension line and a newline.</summary>
    public string ToNoteText()
    {
        var text = new StringBuilder();
        text.Append(Origin).Append('\n')
            .Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Root.ToBase64()).Append('\n');
        foreach (var line in Extensions)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Parses checkpoint note text.</summary>
    /// <exception cref="FormatException">The text is not a checkpoint body; the message says why.</exception>
    public static Checkpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var checkpoint, out var error)
            ? checkpoint
            : throw new FormatException($"Not a checkpoint: {error}.");
    }

    /// <summary>
    /// Parses checkpoint note text strictly, or returns false and the reason. Never throws.
    /// </summary>
    /// <remarks>
    /// Requires at least three lines, each ending in a newline: a non-empty origin; the size in ASCII decimal
    /// without sign or leading zeros (just <c>0</c> for an empty tree) that fits a <see cref="ulong"/>; the root
    /// as canonical standard base64 of exactly 32 bytes; then non-empty extension lines. No control characters
    /// other than newline.
    /// </remarks>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Checkpoint? checkpoint, out string error)
    {
        checkpoint = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "the text is empty";
            return false;
        }

        if (text[^1] != '\n')
        {
            error = "the text does not end with a newline";
            return false;
        }

        if (!NoteSyntax.HasOnlyLineCharacters(text, allowNewline: true, out error))
        {
            return false;
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length < 3)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{lines.Length} lines; a checkpoint needs origin, size and root lines");
            return false;
        }

        if (lines[0].Length == 0)
        {
            error = "the origin (line 1) is empty";
            return false;
        }

        if (!TryParseSize(lines[1], out var size, out error))
        {
            error = $"the size (line 2) {NoteSyntax.Quote(lines[1])} {error}";
            return false;
        }

        if (!TryParseRoot(lines[2], out var root))
        {
            error = $"the root (line 3) {NoteSyntax.Quote(lines[2])} is not canonical standard base64 of {Hash.Size} bytes";
            return false;
        }

        for (var i = 3; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"extension line {i + 1} is empty");
                return false;
            }
        }

        checkpoint = new Checkpoint(lines[0], size, root, lines[3..]);
        error = string.Empty;
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(Checkpoint? other) =>
        other is not null
        && string.Equals(Origin, other.Origin, StringComparison.Ordinal)
        && Size == other.Size
        && Root == other.Root
        && Extensions.SequenceEqual(other.Extensions, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Checkpoint);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(StringComparer.Ordinal.GetHashCode(Origin), Size, Root, Extensions.Count);

    /// <summary>A one-line summary: origin, size and root in base64.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Origin} size {Size} root {Root.ToBase64()}");

    private static bool IsValidLine(string line, out string error)
    {
        if (line.Length == 0)
        {
            error = "it is empty";
            return false;
        }

        return NoteSyntax.HasOnlyLineCharacters(line, allowNewline: false, out error);
    }

    private static bool TryParseSize(string text, out ulong size, out string error)
    {
        size = 0;
        if (text.Length == 0)
        {
            error = "is empty";
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                error = "is not a plain decimal number";
                return false;
            }
        }

        if (text.Length > 1 && text[0] == '0')
        {
            error = "has a leading zero";
            return false;
        }

        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out size))
        {
            error = "exceeds 2^64 - 1";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static bool TryParseRoot(string text, out Hash root)
    {
        root = default;
        return NoteSyntax.TryDecodeBase64(text, out var bytes) && Hash.TryFromBytes(bytes, out root);
    }
}
