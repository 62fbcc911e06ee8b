using System.Collections.Frozen;
using EvidenceChain.Web.Verification;

namespace EvidenceChain.Web.Console;

/// <summary>
/// Every text the console shows, in English and Simplified Chinese. Each area keeps its own table (ShellText,
/// SubmitterText, ...) of (key, English, Chinese); a new area adds its table to <see cref="Tables"/>. The node's
/// own messages (refusals) are shown as the node wrote them, in English.
/// </summary>
internal static class ConsoleText
{
    private static readonly (string Key, string En, string Zh)[][] Tables = [ShellText.All, SubmitterText.All, CaseText.All];

    private static readonly FrozenDictionary<string, (string En, string Zh)> Texts =
        Tables.SelectMany(t => t).ToFrozenDictionary(t => t.Key, t => (t.En, t.Zh), StringComparer.Ordinal);

    /// <summary>The text for <paramref name="key"/>; the key itself when there is none (a missing text shows, rather than hides).</summary>
    public static string T(Language language, string key) =>
        Texts.TryGetValue(key, out var text) ? (language == Language.Chinese ? text.Zh : text.En) : key;

    /// <summary>True when <paramref name="key"/> has a text.</summary>
    public static bool Has(string key) => Texts.ContainsKey(key);
}
