using System.Globalization;

namespace EvidenceChain.Web.Console;

/// <summary>How the console names and formats an entry's facts (plain text; the page renders it as text).</summary>
internal static class EntryFacts
{
    /// <summary>The artefact a rendered web capture's screenshot is stored as.</summary>
    public const string Screenshot = "screenshot.png";

    /// <summary>A field's clear value: disclosed (committed in the leaf) or an attribute (in clear); null when neither.</summary>
    public static string? Field(EntryInfo entry, string name) =>
        entry.Disclosed?.GetValueOrDefault(name) is { Length: > 0 } disclosed ? disclosed
        : entry.Attributes?.GetValueOrDefault(name) is { Length: > 0 } clear ? clear
        : null;

    /// <summary>What a person calls the entry: its title, else its file name or URL, else "#index".</summary>
    public static string Title(EntryInfo entry) =>
        Field(entry, "title") ?? Field(entry, "file-name") ?? Field(entry, "url") ?? Field(entry, "case-title")
        ?? string.Create(CultureInfo.InvariantCulture, $"#{entry.Index}");

    /// <summary>The second line under the title: the file name or URL when the title is something else.</summary>
    public static string? Subtitle(EntryInfo entry)
    {
        var title = Title(entry);
        var other = Field(entry, "file-name") ?? Field(entry, "url");
        return other is not null && other != title ? other : null;
    }

    /// <summary>What a person calls a listed entry: its title, else its file name or URL, else "#index".</summary>
    public static string Title(EntrySummary entry) =>
        entry.Title is { Length: > 0 } t ? t : entry.FileName is { Length: > 0 } f ? f : entry.Url is { Length: > 0 } u ? u
        : string.Create(CultureInfo.InvariantCulture, $"#{entry.Index}");

    /// <summary>The second line under a listed entry's title: its file name when the title is something else.</summary>
    public static string? Subtitle(EntrySummary entry) => entry.Title is { Length: > 0 } && entry.FileName is { Length: > 0 } f && f != entry.Title ? f : null;

    public static bool HasScreenshot(EntryInfo entry) => entry.Artefacts?.Any(a => a.Name == Screenshot) == true;

    /// <summary>RFC 3339 as "yyyy-MM-dd HH:mm:ss UTC"; the text as given when it does not parse.</summary>
    public static string Utc(string? time) =>
        DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
            : time ?? string.Empty;

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        < 1 << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1073741824.0:0.##} GiB"),
    };

    public static string Size(ulong bytes) => Size(checked((long)Math.Min(bytes, long.MaxValue)));

    /// <summary>Total size of the entry's artefacts.</summary>
    public static ulong TotalSize(EntryInfo entry) => entry.Artefacts?.Aggregate(0UL, (sum, a) => sum + a.Size) ?? 0;

    public static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
