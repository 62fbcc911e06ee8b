using System.Text;

namespace EvidenceChain.Core.Text;

/// <summary>
/// Makes strings from untrusted sources (file names, URLs, titles, archive member names, request fields) safe to
/// quote in a one-line message or log entry.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class UntrustedText
{
    /// <summary>The length <see cref="Printable(string?, int)"/> cuts to unless told otherwise.</summary>
    public const int DefaultMaxLength = 80;

    /// <summary>What a cut value ends with.</summary>
    public const string Ellipsis = "...";

    /// <summary>What stands in for each character that could break or disguise the line.</summary>
    public const char Replacement = '?';

    /// <summary>
    /// <paramref name="value"/> with every character that could break the line or change how it reads replaced by
    /// <see cref="Replacement"/>, cut to at most <paramref name="maxLength"/> characters.
    /// </summary>
    /// <remarks>
    /// Replaced: control characters (C0, DEL, C1: newlines, tabs, terminal escapes), the line and paragraph
    /// separators U+2028 and U+2029, the Unicode bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E,
    /// U+2066–U+2069, which can make text display in an order other than the one it is stored in) and surrogates that
    /// are not part of a pair. A value longer than <paramref name="maxLength"/> keeps its first characters and ends
    /// with <see cref="Ellipsis"/>, the whole at most <paramref name="maxLength"/> characters; a surrogate pair is
    /// never split. <see langword="null"/> gives the empty string.
    /// </remarks>
    /// <param name="value">The untrusted text, or <see langword="null"/>.</param>
    /// <param name="maxLength">The longest result, in UTF-16 characters; at least the length of <see cref="Ellipsis"/> + 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is less than 4.</exception>
    public static string Printable(string? value, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, Ellipsis.Length + 1);
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var cut = value.Length > maxLength;
        var keep = cut ? maxLength - Ellipsis.Length : value.Length;
        if (cut && char.IsHighSurrogate(value[keep - 1]) && char.IsLowSurrogate(value[keep]))
        {
            keep--;
        }

        var text = new StringBuilder(keep + (cut ? Ellipsis.Length : 0));
        for (var i = 0; i < keep; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < keep && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[i + 1]);
                i++;
            }
            else
            {
                text.Append(IsUnsafe(c) ? Replacement : c);
            }
        }

        return cut ? text.Append(Ellipsis).ToString() : text.ToString();
    }

    /// <summary>Whether <paramref name="c"/>, standing alone, is replaced by <see cref="Printable(string?, int)"/>.</summary>
    /// <param name="c">A UTF-16 code unit.</param>
    public static bool IsUnsafe(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' || IsBidiControl(c);

    /// <summary>
    /// Whether <paramref name="c"/> is a Unicode bidirectional control (U+061C, U+200E, U+200F, U+202A–U+202E,
    /// U+2066–U+2069): characters that can make text display in an order other than the one it is stored in.
    /// </summary>
    /// <param name="c">A UTF-16 code unit.</param>
    public static bool IsBidiControl(char c) =>
        c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
