using EvidenceChain.Ledger.Jobs;

namespace EvidenceChain.Ledger.Tests.Jobs;

/// <summary>The timeline rules: what a slot means after the slots before it.</summary>
public sealed class WatchTimelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static WatchEvent E(long slot, WatchEventKind kind, string sha = "") =>
        new("w", slot, T0.AddMinutes(slot), kind, null, 200, sha, string.Empty, 0);

    [Theory]
    [InlineData("", true, "a", WatchEventKind.FirstSeen)]
    [InlineData("", false, "", WatchEventKind.Gone)]
    [InlineData("gone", true, "a", WatchEventKind.FirstSeen)]
    [InlineData("first-seen:a", true, "a", WatchEventKind.Unchanged)]
    [InlineData("first-seen:a", true, "b", WatchEventKind.Changed)]
    [InlineData("first-seen:a missed", true, "a", WatchEventKind.Unchanged)]
    [InlineData("first-seen:a gone", true, "a", WatchEventKind.Back)]
    [InlineData("first-seen:a gone missed", true, "b", WatchEventKind.Back)]
    [InlineData("first-seen:a gone back:b", true, "b", WatchEventKind.Unchanged)]
    [InlineData("first-seen:a changed:b", false, "", WatchEventKind.Gone)]
    public void Classify_AfterEarlierSlots_GivesTheKind(string earlier, bool answered, string sha, WatchEventKind expected)
    {
        var events = earlier.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select((e, i) =>
        {
            var parts = e.Split(':');
            var kind = parts[0] switch
            {
                "first-seen" => WatchEventKind.FirstSeen,
                "changed" => WatchEventKind.Changed,
                "back" => WatchEventKind.Back,
                "gone" => WatchEventKind.Gone,
                _ => WatchEventKind.Missed,
            };
            return E(i, kind, parts.Length > 1 ? parts[1] : string.Empty);
        }).ToList();

        Assert.Equal(expected, WatchTimeline.Classify(events, answered, sha));
    }

    [Theory]
    [InlineData(true, 200, true)]
    [InlineData(true, 301, true)]
    [InlineData(true, 404, false)]
    [InlineData(true, 503, false)]
    [InlineData(false, 200, false)]
    [InlineData(false, 0, false)]
    public void Answered_CompleteWith2xxOr3xxOnly(bool complete, int status, bool expected) =>
        Assert.Equal(expected, WatchTimeline.Answered(complete, status));

    [Fact]
    public void ToText_ControlCharactersBecomeSpaces_OneLinePerSettledSlot()
    {
        var watch = new Watch("w1", "https://a/\u0085x", "k", string.Empty, TimeSpan.FromMinutes(1), T0, T0.AddMinutes(3), false)
        {
            State = WatchState.Ended, Ended = T0.AddMinutes(2), EndReason = "stopped by k",
        };
        var text = WatchTimeline.ToText(watch, [E(0, WatchEventKind.FirstSeen, "ab") with { EntryIndex = 3 }, E(1, WatchEventKind.Running)]);

        Assert.Equal(
            "evidencechain watch timeline v1\nwatch w1\nurl https://a/ x\nevery 60s\nstart 2026-12-07T12:00:00.000Z\nuntil 2026-12-07T12:03:00.000Z\n"
            + "ended 2026-12-07T12:02:00.000Z stopped by k\nslot 0 2026-12-07T12:00:00.000Z first-seen entry 3 http 200 sha256 ab\n",
            text);
    }
}
