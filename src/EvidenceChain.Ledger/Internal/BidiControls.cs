using System.Globalization;
using EvidenceChain.Core.Text;

namespace EvidenceChain.Ledger.Internal;

/// <summary>
/// Unicode bidirectional formatting characters (embeddings, overrides, isolates and the implicit marks). In a file
/// name or a title they can make text display other than it reads ("Trojan Source", CVE-2021-42574), e.g.
/// <c>invoice‮fdp.exe</c> shown as <c>invoiceexe.pdf</c>; evidence text refuses them.
/// </summary>
internal static class BidiControls
{
    /// <summary>The first bidi control in <paramref name="value"/>, or null.</summary>
    public static char? Find(string value)
    {
        foreach (var c in value)
        {
            if (UntrustedText.IsBidiControl(c))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>"<paramref name="field"/> contains the bidi control U+XXXX ...", or null when there is none.</summary>
    public static string? Error(string field, string? value) =>
        value is not null && Find(value) is { } c
            ? string.Create(CultureInfo.InvariantCulture,
                $"{field} contains the bidirectional control character U+{(int)c:X4}, which can make text display other than it reads; remove it")
            : null;
}
