using System.Text;

namespace EvidenceChain.Cli.Client;

/// <summary>Text from the node made safe for a terminal.</summary>
internal static class Text
{
    /// <summary>
    /// <paramref name="value"/> with newlines and tabs shown as <c>\n</c> and <c>\t</c> and other control characters as
    /// <c>?</c>, so that a title or file name cannot break the output's lines or send terminal escape sequences.
    /// </summary>
    public static string Printable(string value)
    {
        if (!value.Any(char.IsControl))
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => "?",
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }
}
