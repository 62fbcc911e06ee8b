using EvidenceChain.Core.Text;

namespace EvidenceChain.Cli.Client;

/// <summary>Text from the node made safe for a terminal.</summary>
internal static class Text
{
    /// <summary>
    /// <paramref name="value"/> in full, with every control character (newlines, tabs, terminal escapes) and every
    /// bidirectional control shown as <c>?</c> (<see cref="UntrustedText.Printable(string?, int)"/>), so that a
    /// title or file name can neither break the output's lines nor make it read otherwise than it is stored.
    /// </summary>
    public static string Printable(string value) => UntrustedText.Printable(value, int.MaxValue);
}
