using System.Globalization;

namespace EvidenceChain.Verifier.Watches;

/// <summary>One slot line of a watch timeline: <c>slot N TIME KIND [entry I http S] [sha256 HEX] [reason TEXT]</c>.</summary>
/// <param name="Slot">The slot number, from 0.</param>
/// <param name="Time">The slot's time as written (RFC 3339 UTC, milliseconds).</param>
/// <param name="Kind"><c>first-seen</c>, <c>unchanged</c>, <c>changed</c>, <c>gone</c>, <c>back</c> or <c>missed</c>.</param>
/// <param name="EntryIndex">The capture's entry, when the slot was captured.</param>
/// <param name="HttpStatus">The capture's HTTP status, with <paramref name="EntryIndex"/>.</param>
/// <param name="PayloadSha256">The SHA-256 of the page's payload when it answered; empty otherwise.</param>
/// <param name="Reason">Why the page was gone or the slot missed; empty otherwise.</param>
public sealed record WatchSlotLine(ulong Slot, string Time, string Kind, ulong? EntryIndex, int? HttpStatus, string PayloadSha256, string Reason);

/// <summary>
/// The text of a watch timeline (docs/formats.md §20), parsed: the watch's lines, then one line per slot. The
/// signature is checked by the caller (<see cref="Core.Notes.SignedNote"/>); this only reads the text.
/// </summary>
/// <param name="WatchId">The watch id.</param>
/// <param name="Url">The watched URL.</param>
/// <param name="Every">The interval line's value, e.g. <c>60s</c>.</param>
/// <param name="Start">The first slot's time.</param>
/// <param name="Until">The last time a slot may be at.</param>
/// <param name="Ended">The <c>ended</c> line's value: time and reason, or <c>-</c> while the watch runs.</param>
/// <param name="Exported">The <c>exported</c> line's value (time and key) when the summary was made for an export of a running watch; else null.</param>
/// <param name="Slots">The slot lines, in order.</param>
public sealed record WatchTimelineNote(string WatchId, string Url, string Every, string Start, string Until, string Ended, string? Exported, IReadOnlyList<WatchSlotLine> Slots)
{
    /// <summary>The first line of every timeline.</summary>
    public const string Header = "evidencechain watch timeline v1";

    private static readonly string[] Kinds = ["first-seen", "unchanged", "changed", "gone", "back", "missed"];

    /// <summary>Parses the timeline's text (the note text, without signatures).</summary>
    /// <exception cref="FormatException">The text is not a timeline; the message names the line.</exception>
    public static WatchTimelineNote Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n'))
        {
            throw new FormatException("The timeline does not end with a newline.");
        }

        var lines = text[..^1].Split('\n');
        var at = 0;
        string Next(string key, bool optional = false)
        {
            if (at < lines.Length && lines[at].StartsWith(key + " ", StringComparison.Ordinal))
            {
                return lines[at++][(key.Length + 1)..];
            }

            if (optional)
            {
                return null!;
            }

            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"Line {at + 1} of the timeline should start with \"{key} \"; it is \"{Core.Text.UntrustedText.Printable(at < lines.Length ? lines[at] : string.Empty, 80)}\"."));
        }

        if (lines[0] != Header)
        {
            throw new FormatException($"The timeline's first line is not \"{Header}\".");
        }

        at = 1;
        var watch = Next("watch");
        var url = Next("url");
        var every = Next("every");
        var start = Next("start");
        var until = Next("until");
        var ended = Next("ended");
        var exported = Next("exported", optional: true);
        var slots = new List<WatchSlotLine>();
        for (; at < lines.Length; at++)
        {
            var slot = ParseSlot(lines[at]) ?? throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"Line {at + 1} of the timeline is not a slot line (\"slot N TIME KIND ...\"): \"{Core.Text.UntrustedText.Printable(lines[at], 80)}\"."));
            if (slots.Count > 0 && slot.Slot <= slots[^1].Slot)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Line {at + 1} of the timeline: slot {slot.Slot} is out of order."));
            }

            slots.Add(slot);
        }

        return new WatchTimelineNote(watch, url, every, start, until, ended, exported, slots);
    }

    private static WatchSlotLine? ParseSlot(string line)
    {
        var words = line.Split(' ');
        if (words.Length < 4 || words[0] != "slot" || !ulong.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var slot)
            || !DateTimeOffset.TryParseExact(words[2], "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
            || !Kinds.Contains(words[3]))
        {
            return null;
        }

        var i = 4;
        ulong? entry = null;
        int? http = null;
        if (i + 3 < words.Length && words[i] == "entry")
        {
            if (!ulong.TryParse(words[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var e) || words[i + 2] != "http"
                || !int.TryParse(words[i + 3], NumberStyles.None, CultureInfo.InvariantCulture, out var h))
            {
                return null;
            }

            (entry, http, i) = (e, h, i + 4);
        }

        var sha256 = string.Empty;
        if (i + 1 < words.Length && words[i] == "sha256")
        {
            sha256 = words[i + 1];
            if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
            {
                return null;
            }

            i += 2;
        }

        var reason = string.Empty;
        if (i < words.Length)
        {
            if (words[i] != "reason")
            {
                return null;
            }

            reason = string.Join(' ', words[(i + 1)..]);
        }

        return new WatchSlotLine(slot, words[2], words[3], entry, http, sha256, reason);
    }
}
