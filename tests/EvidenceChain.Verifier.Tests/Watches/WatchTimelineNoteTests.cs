using EvidenceChain.Verifier.Watches;

namespace EvidenceChain.Verifier.Tests.Watches;

/// <summary>The timeline text of docs/formats.md §20, read by <see cref="WatchTimelineNote.Parse"/>.</summary>
public sealed class WatchTimelineNoteTests
{
    private const string Head = """
        evidencechain watch timeline v1
        watch w5b0c2d9e8f7a6b1c
        url https://pirate.example/film
        every 60s
        start 2026-12-07T12:00:00.000Z
        until 2026-12-07T12:30:00.000Z

        """;

    private const string Sha = "1ebeb427a9f5c4d2e1b0a9f8e7d6c5b4a3928170615243f1e0d9c8b7a6958473";

    [Fact]
    public void Parse_TheFormatsExample_EveryField()
    {
        var text = Head + $"""
            ended 2026-12-07T12:06:10.512Z stopped by k3f2a0000000000000
            slot 0 2026-12-07T12:00:00.000Z first-seen entry 12 http 200 sha256 {Sha}
            slot 1 2026-12-07T12:01:00.000Z unchanged entry 13 http 200 sha256 {Sha}
            slot 2 2026-12-07T12:02:00.000Z missed reason the node was not running at this slot
            slot 3 2026-12-07T12:03:00.000Z gone entry 15 http 404 reason http-status: HTTP 404

            """.Replace("\r\n", "\n", StringComparison.Ordinal);

        var timeline = WatchTimelineNote.Parse(text.Replace("\r\n", "\n", StringComparison.Ordinal));

        Assert.Equal("w5b0c2d9e8f7a6b1c", timeline.WatchId);
        Assert.Equal("https://pirate.example/film", timeline.Url);
        Assert.Equal("60s", timeline.Every);
        Assert.Equal("2026-12-07T12:06:10.512Z stopped by k3f2a0000000000000", timeline.Ended);
        Assert.Null(timeline.Exported);
        Assert.Equal(
            [
                new WatchSlotLine(0, "2026-12-07T12:00:00.000Z", "first-seen", 12, 200, Sha, string.Empty),
                new WatchSlotLine(1, "2026-12-07T12:01:00.000Z", "unchanged", 13, 200, Sha, string.Empty),
                new WatchSlotLine(2, "2026-12-07T12:02:00.000Z", "missed", null, null, string.Empty, "the node was not running at this slot"),
                new WatchSlotLine(3, "2026-12-07T12:03:00.000Z", "gone", 15, 404, string.Empty, "http-status: HTTP 404"),
            ],
            timeline.Slots);
    }

    [Fact]
    public void Parse_ExportedLineOfARunningWatch_Read()
    {
        var timeline = WatchTimelineNote.Parse(Head.Replace("\r\n", "\n", StringComparison.Ordinal) + "ended - \nexported 2026-12-07T12:04:00.000Z by k1\n");

        Assert.Equal("- ", timeline.Ended);
        Assert.Equal("2026-12-07T12:04:00.000Z by k1", timeline.Exported);
        Assert.Empty(timeline.Slots);
    }

    [Theory]
    [InlineData("", "first line")]
    [InlineData("evidencechain watch timeline v2\n", "first line")]
    [InlineData("ended - \nslot 0 2026-12-07T12:00:00.000Z first-seen entry 12 http 200", "newline")]
    [InlineData("ended - \nslot 0 2026-12-07T12:00:00.000Z seen entry 12 http 200\n", "Line 8")]
    [InlineData("ended - \nslot 0 2026-12-07 first-seen\n", "Line 8")]
    [InlineData("ended - \nslot 0 2026-12-07T12:00:00.000Z first-seen entry x http 200\n", "Line 8")]
    [InlineData("ended - \nslot 0 2026-12-07T12:00:00.000Z first-seen entry 1 http 200 sha256 ABC\n", "Line 8")]
    [InlineData("ended - \nslot 0 2026-12-07T12:00:00.000Z gone entry 1 http 404 because\n", "Line 8")]
    [InlineData("ended - \nslot 1 2026-12-07T12:01:00.000Z missed\nslot 1 2026-12-07T12:01:00.000Z missed\n", "out of order")]
    [InlineData("slot 0 2026-12-07T12:00:00.000Z missed\n", "should start with \"ended \"")]
    public void Parse_Malformed_FormatExceptionNamingTheLine(string tail, string message)
    {
        var text = tail.StartsWith("evidencechain", StringComparison.Ordinal) || tail.Length == 0 ? tail + "\n" : Head.Replace("\r\n", "\n", StringComparison.Ordinal) + tail;

        var e = Assert.Throws<FormatException>(() => WatchTimelineNote.Parse(text));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValidTextCutAndJunkAppended_ReturnsOrThrowsFormatException()
    {
        var valid = Head.Replace("\r\n", "\n", StringComparison.Ordinal) + "ended - \nslot 0 2026-12-07T12:00:00.000Z first-seen entry 1 http 200\n";
        var random = new Random(20261207);
        const string Alphabet = "slot entry http sha256 reason 0123456789 -:.TZ\n\u0000\u00e9";
        for (var i = 0; i < 2000; i++)
        {
            var junk = new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
            var text = valid[..random.Next(valid.Length + 1)] + junk + "\n";
            try
            {
                WatchTimelineNote.Parse(text);
            }
            catch (FormatException)
            {
                // the only failure allowed
            }
        }
    }
}
