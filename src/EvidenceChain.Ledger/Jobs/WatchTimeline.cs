using System.Globalization;
using System.Text;

namespace EvidenceChain.Ledger.Jobs;

/// <summary>
/// The rules of a watch's timeline: what a slot's capture means given the slots before it, and the timeline's text as
/// the <c>watch-summary</c> entry carries it (docs/formats.md §20). Stateless.
/// </summary>
public static class WatchTimeline
{
    /// <summary>The first line of a timeline's text.</summary>
    public const string Header = "evidencechain watch timeline v1";

    /// <summary>
    /// The kind of a slot whose capture answered (<paramref name="answered"/>: complete with HTTP 2xx or 3xx, with
    /// payload digest <paramref name="payloadSha256"/>) or did not, after <paramref name="earlier"/> (by slot; missed
    /// and running slots are passed over).
    /// </summary>
    public static WatchEventKind Classify(IReadOnlyList<WatchEvent> earlier, bool answered, string payloadSha256)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (!answered)
        {
            return WatchEventKind.Gone;
        }

        var seen = earlier.Any(e => IsAnswer(e.Kind));
        if (!seen)
        {
            return WatchEventKind.FirstSeen;
        }

        var last = earlier.Last(e => e.Kind is not (WatchEventKind.Missed or WatchEventKind.Running));
        if (last.Kind == WatchEventKind.Gone)
        {
            return WatchEventKind.Back;
        }

        var lastAnswer = earlier.Last(e => IsAnswer(e.Kind));
        return string.Equals(lastAnswer.PayloadSha256, payloadSha256, StringComparison.Ordinal) ? WatchEventKind.Unchanged : WatchEventKind.Changed;
    }

    /// <summary>Whether a capture's outcome counts as the page answering: complete, with HTTP 2xx or 3xx.</summary>
    public static bool Answered(bool complete, int httpStatus) => complete && httpStatus is >= 200 and < 400;

    /// <summary>The kind's name on the wire and in the summary: <c>first-seen</c>, <c>unchanged</c>, ...</summary>
    public static string Name(WatchEventKind kind) => kind switch
    {
        WatchEventKind.Running => "running",
        WatchEventKind.FirstSeen => "first-seen",
        WatchEventKind.Unchanged => "unchanged",
        WatchEventKind.Changed => "changed",
        WatchEventKind.Gone => "gone",
        WatchEventKind.Back => "back",
        WatchEventKind.Missed => "missed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a watch event kind"),
    };

    /// <summary>
    /// The timeline's text: the header, the watch's lines, then one line per slot (docs/formats.md §20). Ends with a
    /// newline; holds no other control character.
    /// </summary>
    public static string ToText(Watch watch, IReadOnlyList<WatchEvent> events) => ToText(watch, events, null);

    /// <summary>
    /// As <see cref="ToText(Watch, IReadOnlyList{WatchEvent})"/>; with <paramref name="export"/>, the timeline of a running
    /// watch summarised for an export: an <c>exported TIME by KEY</c> line follows the <c>ended -</c> line.
    /// </summary>
    public static string ToText(Watch watch, IReadOnlyList<WatchEvent> events, WatchSummaryExport? export)
    {
        ArgumentNullException.ThrowIfNull(watch);
        ArgumentNullException.ThrowIfNull(events);
        var text = new StringBuilder();
        void Line(string line) => text.Append(Printable(line)).Append('\n');
        Line(Header);
        Line("watch " + watch.Id);
        Line("url " + watch.Url);
        Line(Invariant($"every {(long)watch.Every.TotalSeconds}s"));
        Line("start " + Time(watch.Start));
        Line("until " + Time(watch.Until));
        Line("ended " + (watch.Ended is { } ended ? Time(ended) : "-") + " " + watch.EndReason);
        if (export is not null)
        {
            Line("exported " + Time(export.Time) + " by " + export.By);
        }

        foreach (var e in events.Where(e => e.Kind != WatchEventKind.Running))
        {
            var line = new StringBuilder(Invariant($"slot {e.Slot} {Time(e.SlotTime)} {Name(e.Kind)}"));
            if (e.EntryIndex is { } index)
            {
                line.Append(Invariant($" entry {index} http {e.HttpStatus}"));
            }

            if (e.PayloadSha256.Length > 0)
            {
                line.Append(" sha256 ").Append(e.PayloadSha256);
            }

            if (e.Reason.Length > 0)
            {
                line.Append(" reason ").Append(e.Reason);
            }

            Line(line.ToString());
        }

        return text.ToString();
    }

    /// <summary>A time as the timeline writes it: UTC, RFC 3339, milliseconds.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static bool IsAnswer(WatchEventKind kind) =>
        kind is WatchEventKind.FirstSeen or WatchEventKind.Unchanged or WatchEventKind.Changed or WatchEventKind.Back;

    private static string Printable(string line) => string.Create(line.Length, line, (span, s) =>
    {
        for (var i = 0; i < s.Length; i++)
        {
            span[i] = char.IsControl(s[i]) ? ' ' : s[i];
        }
    });

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
