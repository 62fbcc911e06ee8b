namespace EvidenceChain.Web.Console;

/// <summary>The case and key screens' icons: SVG path data (24×24), drawn with currentColor, as <see cref="Icons"/>.</summary>
internal static class CaseIcons
{
    public const string Plus = "M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6V5Z";
    public const string Attach = "M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6h-1.5Z";
    public const string Detach = "M6 19a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2V7H6v12ZM19 4h-3.5l-1-1h-5l-1 1H5v2h14V4Z";
    public const string Note = "M3 17.3V21h3.8L17.8 9.9 14 6.2 3 17.3ZM20.7 7a1 1 0 0 0 0-1.4l-2.3-2.3a1 1 0 0 0-1.4 0l-1.8 1.8L19 8.8 20.7 7Z";
    public const string Lock = "M18 8h-1V6a5 5 0 0 0-10 0v2H6a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V10a2 2 0 0 0-2-2Zm-6 9a2 2 0 1 1 0-4 2 2 0 0 1 0 4Zm3.1-9H8.9V6a3.1 3.1 0 0 1 6.2 0v2Z";
    public const string Export = "M19 12v7H5v-7H3v7a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2v-7h-2Zm-6 .7 2.6-2.6 1.4 1.4-5 5-5-5 1.4-1.4 2.6 2.6V3h2v9.7Z";
    public const string Open = "M19 3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2Zm-7 14-5-5h3V8h4v4h3l-5 5Z";
    public const string Copy = "M16 1H4a2 2 0 0 0-2 2v14h2V3h12V1Zm3 4H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2Zm0 16H8V7h11v14Z";
    public const string Warning = "M1 21h22L12 2 1 21Zm12-3h-2v-2h2v2Zm0-4h-2v-4h2v4Z";
    public const string Search = "M15.5 14h-.8l-.3-.3A6.5 6.5 0 1 0 14 15.5l.3.3v.8l5 5 1.5-1.5-5-5Zm-6 0a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9Z";
    public const string Hash = "M10 4 9.4 8H6v2h3.1l-.6 4H5v2h3.2l-.6 4h2l.6-4h4l-.6 4h2l.6-4H20v-2h-3.1l.6-4H21V8h-3.2l.6-4h-2l-.6 4h-4l.6-4h-2Zm1.1 6h4l-.6 4h-4l.6-4Z";
    public const string Person = "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm0 2c-2.7 0-8 1.3-8 4v2h16v-2c0-2.7-5.3-4-8-4Z";
}
