using System.Globalization;

namespace EvidenceChain.Web.Console;

/// <summary>How the case and key screens name things: people by their key's description, roles and events in words, refusals.</summary>
internal static class CaseFacts
{
    /// <summary>The party roles the case form offers; any other role the node holds is shown as written.</summary>
    public static readonly string[] PartyRoles = ["claimant", "respondent", "mediator", "witness", "representative"];

    /// <summary>The key roles an administrator may create.</summary>
    public static readonly string[] KeyRoles = ["submitter", "case-manager", "admin"];

    /// <summary>A party's role in the console's language when it is one the console knows, else as the node holds it.</summary>
    public static string PartyRole(ConsoleSession session, string? role) =>
        ConsoleText.Has("party." + role) ? session.T("party." + role) : role ?? string.Empty;

    /// <summary>A person: their key's description, else the key id.</summary>
    public static string Person(string? description, string? keyId) =>
        !string.IsNullOrWhiteSpace(description) ? description : keyId is { Length: > 0 } ? keyId : "—";

    /// <summary>
    /// What an item is called: its title (a web page's address without its scheme, which says little and takes room),
    /// else its entry number (the caller may not see its fields).
    /// </summary>
    public static string Title(CaseItemInfo item) => item.Title switch
    {
        { Length: > 0 } t when item.Kind == "webpage" && t.StartsWith("https://", StringComparison.OrdinalIgnoreCase) => t[8..],
        { Length: > 0 } t when item.Kind == "webpage" && t.StartsWith("http://", StringComparison.OrdinalIgnoreCase) => t[7..],
        { Length: > 0 } t => t,
        _ => string.Create(CultureInfo.InvariantCulture, $"#{item.Index}"),
    };

    /// <summary>What a case event did, in words, without its text (shown beside it).</summary>
    public static string Action(ConsoleSession session, CaseEventInfo e)
    {
        var key = "event." + e.Action;
        var text = ConsoleText.Has(key) ? session.T(key) : e.Action ?? string.Empty;
        return e.HasEvidence ? string.Format(CultureInfo.InvariantCulture, text, EntryFacts.Number(e.EvidenceIndex)) : text;
    }

    /// <summary>
    /// A refusal in words: the node's message, after "your key's role may not do this" for a 403 (the node decides what
    /// a role may do; the console only shows it).
    /// </summary>
    public static string Refusal(ConsoleSession session, ApiException e) =>
        e.Status == 403 || e.Code == 7 ? session.T("error.forbidden") + " " + e.Message : e.Message;
}
