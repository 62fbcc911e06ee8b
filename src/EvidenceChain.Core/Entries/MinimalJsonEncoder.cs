using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace EvidenceChain.Core.Entries;

/// <summary>
/// The leaf format's escaping rule, fixed here rather than taken from a runtime's Unicode tables: only what JSON
/// requires is escaped — <c>"</c>, <c>\</c> and U+0000 to U+001F — and every other character is written as
/// raw UTF-8. A runtime upgrade can therefore never change a leaf's canonical bytes.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal sealed class MinimalJsonEncoder : JavaScriptEncoder
{
    public static MinimalJsonEncoder Instance { get; } = new();

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
        {
            if (WillEncode(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        string escaped = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            < 0x20 => "\\u" + unicodeScalar.ToString("x4", CultureInfo.InvariantCulture),
            _ => new Rune(unicodeScalar).ToString(),
        };
        if (escaped.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        escaped.AsSpan().CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = escaped.Length;
        return true;
    }
}
