namespace EvidenceChain.Web.Console;

/// <summary>One place in the console's navigation: its address under /console, its text, the roles that see it, an icon.</summary>
internal sealed record NavItem(string Href, string TextKey, string[] Roles, string Icon, bool Exact = false);

/// <summary>
/// The console's navigation by role. The node enforces what each role may do; this only hides what a role cannot
/// use. A new screen adds its line here.
/// </summary>
internal static class ConsoleNav
{
    private const string Submitter = "submitter";
    private const string CaseManager = "case-manager";
    private const string Admin = "admin";

    public static readonly NavItem[] Items =
    [
        new("console", "nav.home", [Submitter, CaseManager, Admin], Icons.Home, Exact: true),
        new("console/preserve", "nav.preserve", [Submitter], Icons.Upload),
        new("console/capture", "nav.capture", [Submitter, Admin], Icons.Globe),
        new("console/evidence", "nav.evidence", [Submitter, CaseManager, Admin], Icons.List),
        new("console/cases", "nav.cases", [CaseManager, Admin], Icons.Folder),
        new("console/keys", "nav.keys", [Admin], Icons.Key),
    ];

    /// <summary>The items <paramref name="role"/> sees, in order.</summary>
    public static IEnumerable<NavItem> For(string role) => Items.Where(i => i.Roles.Contains(role, StringComparer.Ordinal));
}

/// <summary>The console's icons: SVG path data (24×24), drawn with currentColor.</summary>
internal static class Icons
{
    public const string Shield = "M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5l-8-3Zm-1.2 14.2-3.5-3.5 1.4-1.4 2.1 2.1 4.9-4.9 1.4 1.4-6.3 6.3Z";
    public const string Home = "M12 3 2 12h3v8h6v-6h2v6h6v-8h3L12 3Z";
    public const string Upload = "M5 20h14v-2H5v2Zm0-10h4v6h6v-6h4l-7-7-7 7Z";
    public const string Globe = "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm6.9 6h-3a15.7 15.7 0 0 0-1.4-3.6A8 8 0 0 1 18.9 8ZM12 4c.8 1.2 1.5 2.5 1.9 4h-3.8c.4-1.5 1.1-2.8 1.9-4ZM4.3 14a8.2 8.2 0 0 1 0-4h3.4a16.5 16.5 0 0 0 0 4H4.3Zm.8 2h3a15.7 15.7 0 0 0 1.4 3.6A8 8 0 0 1 5.1 16Zm3-8h-3a8 8 0 0 1 4.4-3.6C8 5.6 7.5 6.8 8.1 8ZM12 20c-.8-1.2-1.5-2.5-1.9-4h3.8c-.4 1.5-1.1 2.8-1.9 4Zm2.3-6H9.7a14.7 14.7 0 0 1 0-4h4.6a14.7 14.7 0 0 1 0 4Zm.3 5.6c.6-1.1 1.1-2.3 1.4-3.6h3a8 8 0 0 1-4.4 3.6Zm1.7-5.6a16.5 16.5 0 0 0 0-4h3.4a8.2 8.2 0 0 1 0 4h-3.4Z";
    public const string List = "M4 6h2v2H4V6Zm4 0h12v2H8V6Zm-4 5h2v2H4v-2Zm4 0h12v2H8v-2Zm-4 5h2v2H4v-2Zm4 0h12v2H8v-2Z";
    public const string Folder = "M10 4H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V8a2 2 0 0 0-2-2h-8l-2-2Z";
    public const string Key = "M12.7 10A6 6 0 1 0 12.7 14H17v4h4v-4h2v-4H12.7ZM7 14a2 2 0 1 1 0-4 2 2 0 0 1 0 4Z";
    public const string Check = "M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4L9 16.2Z";
    public const string File = "M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8l-6-6Zm-1 7V3.5L18.5 9H13Z";
    public const string Download = "M19 9h-4V3H9v6H5l7 7 7-7ZM5 18v2h14v-2H5Z";
    public const string SignOut = "M10 17v-3H3v-4h7V7l5 5-5 5Zm9-14H12v2h7v14h-7v2h7a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2Z";
}
