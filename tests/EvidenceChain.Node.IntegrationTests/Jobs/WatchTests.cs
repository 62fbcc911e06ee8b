using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EvidenceChain.Api.V1;
using EvidenceChain.Core.Notes;
using EvidenceChain.Node.Jobs;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EvidenceChain.Node.IntegrationTests.Jobs;

/// <summary>
/// Watches end to end on a fake clock: a real node (loopback allowed, no browser) captures a local page at each slot;
/// the page changes, goes 404 and comes back; a stop of the node leaves missed slots; the end appends a signed summary.
/// </summary>
public sealed class WatchTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Epoch = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Epoch);
    private JobSite _site = null!;

    public async Task InitializeAsync() => _site = await JobSite.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Watch_PageChangesThen404sThenReturns_TimelineFirstSeenUnchangedChangedGoneBack_StopAppendsSignedSummary()
    {
        await using var node = await StartAsync(null);
        var submitter = await node.CreateKeyAsync("submitter");
        var client = new WatchService.WatchServiceClient(node.Channel);
        _site.Serve(200, "<html><body>version 1</body></html>");

        var watch = await CreateOverHttpAsync(node, submitter, new { url = _site.Watched, every_minutes = 1, until = "2026-12-07T12:30:00Z" });
        Assert.Equal("active", watch.GetProperty("state").GetString());
        var id = watch.GetProperty("id").GetString()!;
        Assert.Matches("^w[0-9a-f]{16}$", id);
        Assert.Equal("2026-12-07T12:00:00.000Z", watch.GetProperty("start").GetString());

        await SlotsAsync(client, id, submitter, 1);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await SlotsAsync(client, id, submitter, 2);
        _site.Serve(200, "<html><body>version 2</body></html>");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await SlotsAsync(client, id, submitter, 3);
        _site.Serve(404, "not found");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await SlotsAsync(client, id, submitter, 4);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await SlotsAsync(client, id, submitter, 5);
        _site.Serve(200, "<html><body>version 2</body></html>");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var timeline = await SlotsAsync(client, id, submitter, 6);

        Assert.Equal(["first-seen", "unchanged", "changed", "gone", "gone", "back"], timeline.Events.Select(e => e.Kind));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => Epoch.AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'")), timeline.Events.Select(e => e.Time));
        Assert.All(timeline.Events, e => Assert.True(e.HasEntryIndex));
        Assert.Equal(6, timeline.Events.Select(e => e.EntryIndex).Distinct().Count());
        Assert.Equal(timeline.Events[0].PayloadSha256, timeline.Events[1].PayloadSha256);
        Assert.NotEqual(timeline.Events[1].PayloadSha256, timeline.Events[2].PayloadSha256);
        Assert.Equal(timeline.Events[2].PayloadSha256, timeline.Events[5].PayloadSha256);
        Assert.Equal(404u, timeline.Events[3].HttpStatus);
        Assert.Equal("http-status: HTTP 404", timeline.Events[3].Reason);
        foreach (var e in timeline.Events)
        {
            var entry = await node.Evidence.GetEntryAsync(new GetEntryRequest { Index = e.EntryIndex });
            Assert.Equal("webpage", entry.Kind);
            Assert.Equal(id, entry.Attributes["watch"]);
            Assert.Equal(e.Slot.ToString(), entry.Attributes["watch-slot"]);
        }

        var stopped = await client.StopWatchAsync(new GetWatchRequest { Id = id }, TestNode.As(submitter));
        Assert.Equal("ended", stopped.State);
        Assert.StartsWith("stopped by ", stopped.EndReason);
        Assert.True(stopped.HasSummaryIndex);
        var summary = await node.Evidence.GetEntryAsync(new GetEntryRequest { Index = stopped.SummaryIndex });
        Assert.Equal("watch-summary", summary.Kind);
        Assert.Equal(id, summary.Attributes["watch"]);
        Assert.Equal(_site.Watched, summary.Attributes["url"]);
        Assert.Equal("6", summary.Attributes["slots"]);
        Assert.Equal("1", summary.Attributes["changed"]);
        Assert.Equal("2", summary.Attributes["gone"]);
        Assert.Equal("2026-12-07T12:00:00.000Z", summary.Attributes["first-seen"]);
        var note = await DownloadAsync(node, submitter, stopped.SummaryIndex, "timeline.note");
        var logKey = (await File.ReadAllTextAsync(Path.Combine(node.DataPath, "keys", "log.vkey"))).Trim();
        var opened = SignedNote.Open(note, [NoteVerifier.Parse(logKey)]);
        Assert.True(opened.IsValid, opened.ToString());
        Assert.Contains($"slot 3 2026-12-07T12:03:00.000Z gone entry {timeline.Events[3].EntryIndex} http 404 reason http-status: HTTP 404\n", note);
        Assert.Contains($"slot 5 2026-12-07T12:05:00.000Z back entry {timeline.Events[5].EntryIndex} http 200 sha256 {timeline.Events[5].PayloadSha256}\n", note);

        var again = await Assert.ThrowsAsync<RpcException>(() => client.StopWatchAsync(new GetWatchRequest { Id = id }, TestNode.As(submitter)).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        node.AssertNoErrors();
    }

    [Fact]
    public async Task Watch_NodeDownForSlots_RecordedAsMissedAfterRestart_EndsWithSummaryAtUntil()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        string id, submitter;
        await using (var first = await StartAsync(data))
        {
            submitter = await first.CreateKeyAsync("submitter");
            var client = new WatchService.WatchServiceClient(first.Channel);
            id = (await client.CreateWatchAsync(
                new CreateWatchRequest { Url = _site.Watched, EveryMinutes = 2, Until = "2026-12-07T12:10:00Z" }, TestNode.As(submitter))).Id;
            await SlotsAsync(client, id, submitter, 1);
        }

        _clock.Advance(TimeSpan.FromMinutes(7)); // 12:07: slots 1 (12:02) and 2 (12:04) passed while the node was down
        await using var second = await StartAsync(data);
        var again = new WatchService.WatchServiceClient(second.Channel);
        var timeline = await SlotsAsync(again, id, submitter, 4); // slot 3 (12:06) is still the current one: captured

        Assert.Equal(["first-seen", "missed", "missed", "unchanged"], timeline.Events.Select(e => e.Kind));
        Assert.All(timeline.Events.Skip(1).Take(2), e =>
        {
            Assert.Equal("the node was not running at this slot", e.Reason);
            Assert.False(e.HasEntryIndex);
        });
        Assert.Equal("2026-12-07T12:08:00.000Z", (await again.GetWatchAsync(new GetWatchRequest { Id = id }, TestNode.As(submitter))).NextSlot);

        _clock.Advance(TimeSpan.FromMinutes(2)); // 12:09: slot 4
        await SlotsAsync(again, id, submitter, 5);
        _clock.Advance(TimeSpan.FromMinutes(2)); // 12:11: slot 5 (12:10) is the last
        var ended = await JobAssert.EventuallyAsync(
            () => again.GetWatchAsync(new GetWatchRequest { Id = id }, TestNode.As(submitter)).ResponseAsync, w => w.HasSummaryIndex, "the summary");
        Assert.Equal("until reached", ended.EndReason);
        var kinds = (await again.GetWatchTimelineAsync(new GetWatchRequest { Id = id }, TestNode.As(submitter))).Events.Select(e => e.Kind);
        Assert.Equal(["first-seen", "missed", "missed", "unchanged", "unchanged", "unchanged"], kinds);
        var summary = await second.Evidence.GetEntryAsync(new GetEntryRequest { Index = ended.SummaryIndex });
        Assert.Equal("2", summary.Attributes["missed"]);
        Assert.Equal("until reached", summary.Attributes["end-reason"]);
        var listed = await again.ListWatchesAsync(new ListWatchesRequest(), TestNode.As(submitter));
        Assert.Equal(id, Assert.Single(listed.Watches).Id);
        second.AssertNoErrors();
    }

    [Theory]
    [InlineData("""{"url": "https://example.org/", "every_minutes": 0, "until": "2026-12-08T00:00:00Z"}""", "every_minutes is 0")]
    [InlineData("""{"url": "https://example.org/", "every_minutes": 5}""", "until (\"\") is not a date")]
    [InlineData("""{"url": "https://example.org/", "every_minutes": 5, "until": "tomorrow"}""", "until (\"tomorrow\") is not a date")]
    [InlineData("""{"url": "https://example.org/", "every_minutes": 5, "until": "2026-12-07T11:00:00Z"}""", "is not after now (2026-12-07T12:00:00.000Z)")]
    [InlineData("""{"url": "javascript:alert(1)", "every_minutes": 5, "until": "2026-12-08T00:00:00Z"}""", "url (\"javascript:alert(1)\")")]
    [InlineData("""{"every_minutes": 5, "until": "2026-12-08T00:00:00Z"}""", "url (\"\") is empty")]
    [InlineData("""{"url": "https://example.org/", "every_minutes": 5, "until": "2026-12-08T00:00:00Z", "case_id": "c0000000000000000"}""", "No case")]
    [InlineData("""{"url": "https://example.org/", "every_minutes": 5, "until": "2026-12-08T10:00:00"}""", "until (\"2026-12-08T10:00:00\") is not a date and time; give RFC 3339 with its offset")]
    [InlineData("""{"url": "https://example.org/", "every_minutes": 5, "until": "2026-12-08 10:00:00Z"}""", "until (\"2026-12-08 10:00:00Z\") is not a date")]
    [InlineData("""{"url": "https://example.org/", "every_minutes": 5, "until": "12/31/2026"}""", "until (\"12/31/2026\") is not a date")]
    [InlineData("""{"url": "https://example.org/", "every_minutes": 5, "until": "2026-12-08T10:00:00Z trailing"}""", "is not a date")]
    [InlineData("""{"url": "https://example.org/", "every_minutes": 5, "until": "2026-13-01"}""", "until (\"2026-13-01\") is not a date")]
    [InlineData("""{"url": "https://example.org/", "every_minutes": 5, "until": "2026-12-06"}""", "until (2026-12-06T23:59:59.999Z) is not after now (2026-12-07T12:00:00.000Z)")]
    [InlineData("""{"url": "https://example.org/", "every_minutes": 5, "until": "2026-12-08T10:00:00+8"}""", "is not a date")]
    public async Task CreateWatch_BadInput_ProblemNamingIt_NothingCreated(string body, string message)
    {
        await using var node = await StartAsync(null);
        var submitter = await node.CreateKeyAsync("submitter");
        var size = node.Node.Ledger.Size;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/watches") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", submitter);
        using var response = await node.Http.SendAsync(request);

        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, json);
        Assert.Contains(message, JsonDocument.Parse(json).RootElement.GetProperty("message").GetString());
        var client = new WatchService.WatchServiceClient(node.Channel);
        Assert.Empty((await client.ListWatchesAsync(new ListWatchesRequest(), TestNode.As(node.AdminKey))).Watches);
        Assert.Equal(size, node.Node.Ledger.Size);
    }

    [Theory]
    [InlineData("2026-12-08", "2026-12-08T23:59:59.999Z")] // a date: to the end of that day, UTC
    [InlineData("2026-12-07T21:00:00+08:00", "2026-12-07T13:00:00.000Z")]
    [InlineData("2026-12-07T13:30Z", "2026-12-07T13:30:00.000Z")]
    [InlineData("2026-12-07T13:30:00.5-01:00", "2026-12-07T14:30:00.500Z")]
    public async Task CreateWatch_UntilWithItsOffsetOrADate_ReadExactly(string until, string expected)
    {
        await using var node = await StartAsync(null);
        var submitter = await node.CreateKeyAsync("submitter");

        var watch = await CreateOverHttpAsync(node, submitter, new { url = _site.Watched, every_minutes = 60, until });

        Assert.Equal(expected, watch.GetProperty("until").GetString());
        await SlotsAsync(new WatchService.WatchServiceClient(node.Channel), watch.GetProperty("id").GetString()!, submitter, 1); // not stopped mid-capture
    }

    [Fact]
    public async Task GetWatch_UnknownOrAnotherKeys_NotFound_NoKey_Unauthenticated()
    {
        await using var node = await StartAsync(null);
        var submitter = await node.CreateKeyAsync("submitter");
        var other = await node.CreateKeyAsync("submitter");
        var client = new WatchService.WatchServiceClient(node.Channel);
        var id = (await client.CreateWatchAsync(
            new CreateWatchRequest { Url = _site.Watched, EveryMinutes = 1, Until = "2026-12-07T12:05:00Z" }, TestNode.As(submitter))).Id;

        foreach (var (watchId, key) in new[] { (id, other), ("w0000000000000000", submitter) })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => client.GetWatchTimelineAsync(new GetWatchRequest { Id = watchId }, TestNode.As(key)).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, e.StatusCode);
        }

        var stop = await Assert.ThrowsAsync<RpcException>(() => client.StopWatchAsync(new GetWatchRequest { Id = id }, TestNode.As(other)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, stop.StatusCode);
        using var anonymous = await node.Http.GetAsync($"/v1/watches/{id}/timeline");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await SlotsAsync(client, id, submitter, 1);
    }

    private Task<TestNode> StartAsync(string? data) =>
        TestNode.StartWithAsync(data, b => b.Services.AddKeyedSingleton<TimeProvider>(NodeJobs.ClockKey, _clock), CaptureJobTests.Settings);

    private static async Task<JsonElement> CreateOverHttpAsync(TestNode node, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/watches")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await node.Http.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>Waits until the timeline (read over HTTP) holds <paramref name="count"/> settled slots and returns it.</summary>
    internal static async Task<WatchTimeline> SlotsAsync(WatchService.WatchServiceClient client, string id, string key, int count) =>
        await JobAssert.EventuallyAsync(
            () => client.GetWatchTimelineAsync(new GetWatchRequest { Id = id }, TestNode.As(key)).ResponseAsync,
            t => t.Events.Count == count && t.Events.All(e => e.Kind != "running"),
            $"{count} settled slot(s)");

    private static async Task<string> DownloadAsync(TestNode node, string key, ulong index, string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/entries/{index}/artefacts/{name}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await node.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
