using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EvidenceChain.Api.V1;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using Google.Protobuf;
using Grpc.Core;

namespace EvidenceChain.Node.IntegrationTests.Jobs;

/// <summary>
/// Capture jobs end to end: a real node (loopback allowed, no browser) captures lists of URLs from a local site, each
/// into its own webpage entry, attached to a case, and resumes an unfinished job after a restart.
/// </summary>
public sealed class CaptureJobTests : IAsyncLifetime
{
    internal static readonly string[] Settings = ["--Capture:AllowedNetworks:0", "127.0.0.0/8", "--Capture:BrowserPath", "none", "--Capture:Timeout", "00:00:20"];

    private JobSite _site = null!;

    public async Task InitializeAsync() => _site = await JobSite.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task CaptureBatch_200UrlsWithFailures_EachItsOwnEntry_FailuresWithReasons_AttachedToTheCase()
    {
        await using var node = await TestNode.StartAsync(null, Settings);
        var submitter = await node.CreateKeyAsync("submitter");
        var manager = await node.CreateKeyAsync("case-manager");
        var cases = new CaseService.CaseServiceClient(node.Channel);
        var caseId = (await cases.CreateCaseAsync(new CreateCaseRequest { Title = "Pirate site" }, TestNode.As(manager))).Case.Id;
        // 200 URLs: every 20th on a closed port (connect-failed: a failed entry), every 50th (from 7) on a guarded
        // address (refused up front: no entry), the rest pages of the local site.
        var urls = Enumerable.Range(0, 200).Select(i =>
            i % 20 == 0 ? $"http://127.0.0.1:1/gone/{i}" : i % 50 == 7 ? $"http://10.0.0.5/private/{i}" : _site.Page(i)).ToList();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/captures:batch")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { urls, case_id = caseId }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", submitter);
        using var response = await node.Http.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        var accepted = JsonParser.Default.Parse<CaptureJob>(json);
        Assert.Matches("^j[0-9a-f]{16}$", accepted.Id);
        Assert.Equal(200u, accepted.Total);
        Assert.Equal(caseId, accepted.CaseId);

        var client = new CaptureJobService.CaptureJobServiceClient(node.Channel);
        var job = await JobAssert.EventuallyAsync(
            () => client.GetCaptureJobAsync(new GetCaptureJobRequest { Id = accepted.Id }, TestNode.As(submitter)).ResponseAsync, JobAssert.Finished, "the job");

        Assert.Equal(200, job.Items.Count);
        Assert.Equal(10u + 4u, job.Failed);
        Assert.Equal(186u, job.Done);
        var entries = new HashSet<ulong>();
        foreach (var item in job.Items)
        {
            var i = (int)item.Position;
            Assert.Equal(urls[i], item.Url);
            if (i % 20 == 0)
            {
                Assert.Equal("failed", item.State);
                Assert.StartsWith("connect-failed: ", item.Reason);
                Assert.True(item.HasEntryIndex, "a capture that failed under way is still an entry");
            }
            else if (i % 50 == 7)
            {
                Assert.Equal("failed", item.State);
                Assert.StartsWith("refused: ", item.Reason);
                Assert.Contains("10.0.0.5", item.Reason);
                Assert.False(item.HasEntryIndex);
                continue;
            }
            else
            {
                Assert.Equal("done", item.State);
                Assert.Equal(string.Empty, item.Reason);
            }

            Assert.True(entries.Add(item.EntryIndex), $"entry {item.EntryIndex} given twice");
            var entry = await node.Evidence.GetEntryAsync(new GetEntryRequest { Index = item.EntryIndex });
            Assert.Equal("webpage", entry.Kind);
            Assert.Equal(urls[i], entry.Attributes["url"]);
            Assert.Equal(job.Id, entry.Attributes["capture-job"]);
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), entry.Attributes["capture-job-item"]);
        }

        var attached = (await cases.GetCaseAsync(new GetCaseRequest { Id = caseId }, TestNode.As(manager))).Items.Select(x => x.Index).ToHashSet();
        Assert.Equal(entries.Order(), attached.Order());
        Assert.All(Enumerable.Range(0, 200).Where(i => i % 20 != 0 && i % 50 != 7), i => Assert.Equal(1, _site.Hits(i)));
        node.AssertNoErrors();
    }

    [Fact]
    public async Task CaptureBatch_NodeStopsMidway_ResumedAfterRestart_NothingCapturedTwice_NothingSkipped()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        _site.GateFrom = 10; // pages 0-9 answer, 10 on wait: the job is mid-way when the node stops
        string jobId, submitter;
        var urls = Enumerable.Range(0, 30).Select(_site.Page).ToList();
        await using (var first = await TestNode.StartAsync(data, Settings))
        {
            submitter = await first.CreateKeyAsync("submitter");
            var client = new CaptureJobService.CaptureJobServiceClient(first.Channel);
            var request = new CaptureBatchRequest();
            request.Urls.AddRange(urls);
            jobId = (await client.CaptureBatchAsync(request, TestNode.As(submitter))).Id;
            var midway = await JobAssert.EventuallyAsync(
                () => client.GetCaptureJobAsync(new GetCaptureJobRequest { Id = jobId }, TestNode.As(submitter)).ResponseAsync,
                j => j.Done == 10 && j.Running == 2 && _site.Waiting == 2, "10 done and 2 waiting");
            Assert.Equal(18u, midway.Pending);
        }

        _site.OpenGate();
        await using var second = await TestNode.StartAsync(data, Settings);
        var again = new CaptureJobService.CaptureJobServiceClient(second.Channel);
        var job = await JobAssert.EventuallyAsync(
            () => again.GetCaptureJobAsync(new GetCaptureJobRequest { Id = jobId }, TestNode.As(submitter)).ResponseAsync, JobAssert.Finished, "the resumed job");

        Assert.Equal(30u, job.Done);
        Assert.All(job.Items, i => Assert.Equal("done", i.State));
        var tagged = await JobAssert.TaggedAsync(second.Node.Ledger, "capture-job", jobId);
        var byItem = tagged.GroupBy(e => e.Entry.Draft.Attributes["capture-job-item"]).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(30, byItem.Count);
        Assert.All(byItem, g => Assert.Single(g.Value));
        Assert.All(job.Items, i => Assert.Equal(byItem[i.Position.ToString(CultureInfo.InvariantCulture)][0].Index, i.EntryIndex));
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(1, _site.Hits(i))); // done before the stop: not fetched again
        second.AssertNoErrors();
    }

    [Fact]
    public async Task CaptureBatch_StopAfterTheEntryBeforeItsProgress_FinishedFromTheTaggedEntryAtRestart_NotCapturedAgain()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        string jobId, submitter;
        Api.V1.CaptureJob before;
        await using (var first = await TestNode.StartAsync(data, Settings))
        {
            submitter = await first.CreateKeyAsync("submitter");
            var client = new CaptureJobService.CaptureJobServiceClient(first.Channel);
            var request = new CaptureBatchRequest();
            request.Urls.AddRange([_site.Page(100), _site.Page(101)]);
            jobId = (await client.CaptureBatchAsync(request, TestNode.As(submitter))).Id;
            before = await JobAssert.EventuallyAsync(
                () => client.GetCaptureJobAsync(new GetCaptureJobRequest { Id = jobId }, TestNode.As(submitter)).ResponseAsync, JobAssert.Finished, "the job");
        }

        // As if the node had stopped after URL 1's entry was durable but before its progress was written.
        await using (var storage = await TestNode.OpenStorageAsync(data))
        {
            var item = storage.Jobs.Items(jobId)[1];
            storage.Jobs.UpdateItem(item with { State = Ledger.Jobs.CaptureItemState.Running, EntryIndex = null, StartedAtSize = 0 });
        }

        await using var second = await TestNode.StartAsync(data, Settings);
        var again = new CaptureJobService.CaptureJobServiceClient(second.Channel);
        var job = await JobAssert.EventuallyAsync(
            () => again.GetCaptureJobAsync(new GetCaptureJobRequest { Id = jobId }, TestNode.As(submitter)).ResponseAsync, JobAssert.Finished, "the settled job");

        Assert.Equal("done", job.Items[1].State);
        Assert.Equal(before.Items[1].EntryIndex, job.Items[1].EntryIndex);
        Assert.Equal(1, _site.Hits(101));
        Assert.Single(await JobAssert.TaggedAsync(second.Node.Ledger, "capture-job-item", "1"), e => e.Entry.Draft.Attributes["capture-job"] == jobId);
        second.AssertNoErrors();
    }

    [Fact]
    public async Task CancelCaptureJob_PendingUrlsCancelled_RunningOnesFinish_ListedWithCounts()
    {
        // One capture at a time; pages from 300 wait at the gate, so URL 0 is under way and 1 to 4 are pending.
        await using var node = await TestNode.StartAsync(null, [.. Settings, "--Capture:MaxConcurrentCaptures", "1"]);
        var submitter = await node.CreateKeyAsync("submitter");
        var other = await node.CreateKeyAsync("submitter");
        var client = new CaptureJobService.CaptureJobServiceClient(node.Channel);
        _site.GateFrom = 300;
        var request = new CaptureBatchRequest();
        request.Urls.AddRange(Enumerable.Range(300, 5).Select(_site.Page));
        var id = (await client.CaptureBatchAsync(request, TestNode.As(submitter))).Id;
        await JobAssert.EventuallyAsync(() => Task.FromResult(_site.Waiting), w => w == 1, "URL 0 under way");

        await RpcAssert.FailsAsync(
            StatusCode.NotFound, () => client.CancelCaptureJobAsync(new GetCaptureJobRequest { Id = id }, TestNode.As(other)).ResponseAsync, "No capture job");
        using var http = new HttpRequestMessage(HttpMethod.Post, $"/v1/capture-jobs/{id}:cancel") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        http.Headers.Authorization = new AuthenticationHeaderValue("Bearer", submitter);
        using var response = await node.Http.SendAsync(http);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        var cancelled = JsonParser.Default.Parse<CaptureJob>(json);
        Assert.Equal(("running", 1u, 4u, 0u), (cancelled.State, cancelled.Running, cancelled.Cancelled, cancelled.Pending));
        Assert.All(cancelled.Items.Skip(1), i =>
        {
            Assert.Equal(("cancelled", false), (i.State, i.HasEntryIndex));
            Assert.Matches("^cancelled: by k[0-9a-f]+$", i.Reason);
        });

        _site.OpenGate();
        var job = await JobAssert.EventuallyAsync(
            () => client.GetCaptureJobAsync(new GetCaptureJobRequest { Id = id }, TestNode.As(submitter)).ResponseAsync, j => j.Running == 0, "the job");
        Assert.Equal(("cancelled", 1u, 4u), (job.State, job.Done, job.Cancelled));
        Assert.Equal(0, _site.Hits(301) + _site.Hits(302) + _site.Hits(303) + _site.Hits(304));
        await RpcAssert.FailsAsync(
            StatusCode.FailedPrecondition, () => client.CancelCaptureJobAsync(new GetCaptureJobRequest { Id = id }, TestNode.As(submitter)).ResponseAsync,
            $"Capture job {id} has no pending URL to cancel (0 running, 1 done, 0 failed, 4 cancelled)");

        // Listed: the caller's jobs with their counts, no items; an admin's list holds every key's.
        var second = new CaptureBatchRequest();
        second.Urls.Add(_site.Page(1));
        var otherJob = (await client.CaptureBatchAsync(second, TestNode.As(other))).Id;
        var mine = await client.ListCaptureJobsAsync(new ListCaptureJobsRequest(), TestNode.As(submitter));
        var listed = Assert.Single(mine.Jobs);
        Assert.Equal((id, "cancelled", 5u, 4u, 0), (listed.Id, listed.State, listed.Total, listed.Cancelled, listed.Items.Count));
        using var all = new HttpRequestMessage(HttpMethod.Get, "/v1/capture-jobs");
        all.Headers.Authorization = new AuthenticationHeaderValue("Bearer", node.AdminKey);
        using var allResponse = await node.Http.SendAsync(all);
        var allJson = await allResponse.Content.ReadAsStringAsync();
        Assert.True(allResponse.StatusCode == HttpStatusCode.OK, allJson);
        Assert.Equal([id, otherJob], JsonParser.Default.Parse<ListCaptureJobsResponse>(allJson).Jobs.Select(j => j.Id));
        await RpcAssert.FailsAsync(
            StatusCode.NotFound, () => client.CancelCaptureJobAsync(new GetCaptureJobRequest { Id = "j0000000000000000" }, TestNode.As(submitter)).ResponseAsync, "No capture job");
        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => client.ListCaptureJobsAsync(new ListCaptureJobsRequest()).ResponseAsync);
        node.AssertNoErrors();
    }

    [Fact]
    public async Task CancelCaptureJob_SurvivesRestart_CancelledUrlsNotResumed()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        string id, submitter;
        await using (var first = await TestNode.StartAsync(data, [.. Settings, "--Capture:MaxConcurrentCaptures", "1"]))
        {
            submitter = await first.CreateKeyAsync("submitter");
            var client = new CaptureJobService.CaptureJobServiceClient(first.Channel);
            _site.GateFrom = 400;
            var request = new CaptureBatchRequest();
            request.Urls.AddRange(Enumerable.Range(400, 3).Select(_site.Page));
            id = (await client.CaptureBatchAsync(request, TestNode.As(submitter))).Id;
            await JobAssert.EventuallyAsync(() => Task.FromResult(_site.Waiting), w => w == 1, "URL 0 under way");
            await client.CancelCaptureJobAsync(new GetCaptureJobRequest { Id = id }, TestNode.As(submitter));
        }

        _site.OpenGate();
        await using var second = await TestNode.StartAsync(data, Settings);
        var again = new CaptureJobService.CaptureJobServiceClient(second.Channel);
        var job = await JobAssert.EventuallyAsync(
            () => again.GetCaptureJobAsync(new GetCaptureJobRequest { Id = id }, TestNode.As(submitter)).ResponseAsync, j => j.Running + j.Pending == 0, "the job");

        Assert.Equal(("cancelled", 1u, 2u), (job.State, job.Done, job.Cancelled));
        Assert.Equal(0, _site.Hits(401) + _site.Hits(402));
        second.AssertNoErrors();
    }

    public sealed class BadInput : IClassFixture<BadInput.Fixture>
    {
        private readonly Fixture _fixture;

        public BadInput(Fixture fixture) => _fixture = fixture;

        public sealed class Fixture : NodeFixture
        {
            protected override string[] Settings => CaptureJobTests.Settings;
        }

        private TestNode Node => _fixture.Node;

        public static TheoryData<string, string> Bodies => new()
        {
            { """{"urls": []}""", "urls is empty" },
            { """{}""", "urls is empty" },
            { """{"urls": ["https://example.org/", "not-a-url"]}""", "urls[1] (\"not-a-url\") is not an absolute URL" },
            { """{"urls": ["ftp://example.org/x"]}""", "scheme \"ftp\"" },
            { """{"urls": ["http://user:pw@example.org/"]}""", "credentials" },
            { """{"urls": ["http://example.org/a b"]}""", "space or control character" },
            { """{"urls": [""]}""", "urls[0] (\"\") is empty" },
            { """{"urls": "https://example.org/"}""", "" },
        };

        [Theory]
        [MemberData(nameof(Bodies))]
        public async Task CaptureBatch_BadBody_400NamingTheProblem_NothingCreated(string body, string message)
        {
            var size = Node.Node.Ledger.Size;

            var (status, json) = await PostAsync("/v1/captures:batch", body, _fixture.SubmitterKey);

            Assert.True(status == HttpStatusCode.BadRequest, json);
            var error = JsonDocument.Parse(json).RootElement;
            Assert.Equal(3, error.GetProperty("code").GetInt32());
            Assert.Contains(message, error.GetProperty("message").GetString());
            Assert.Equal(size, Node.Node.Ledger.Size);
        }

        [Fact]
        public async Task CaptureBatch_TooManyUrls_400_NothingCreated()
        {
            var body = JsonSerializer.Serialize(new { urls = Enumerable.Range(0, 10_001).Select(i => $"https://example.org/{i}") });

            var (status, json) = await PostAsync("/v1/captures:batch", body, _fixture.SubmitterKey);

            Assert.True(status == HttpStatusCode.BadRequest, json);
            Assert.Contains("10001 URLs; a job takes at most 10000", json);
        }

        [Fact]
        public async Task CaptureBatch_UnknownCase_404_NoKey_401_ReaderRole_403()
        {
            var (status, json) = await PostAsync("/v1/captures:batch", """{"urls": ["https://example.org/"], "case_id": "c0000000000000000"}""", _fixture.SubmitterKey);
            Assert.True(status == HttpStatusCode.NotFound, json);
            Assert.Contains("No case c0000000000000000", json);

            (status, json) = await PostAsync("/v1/captures:batch", """{"urls": ["https://example.org/"]}""", null);
            Assert.True(status == HttpStatusCode.Unauthorized, json);

            var manager = await Node.CreateKeyAsync("case-manager");
            (status, json) = await PostAsync("/v1/captures:batch", """{"urls": ["https://example.org/"]}""", manager);
            Assert.True(status == HttpStatusCode.Forbidden, json);
        }

        [Fact]
        public async Task GetCaptureJob_UnknownOrAnotherKeys_NotFound()
        {
            var client = new CaptureJobService.CaptureJobServiceClient(Node.Channel);
            var other = await Node.CreateKeyAsync("submitter");
            var request = new CaptureBatchRequest();
            request.Urls.Add("http://127.0.0.1:1/x");
            var job = await client.CaptureBatchAsync(request, TestNode.As(_fixture.SubmitterKey));

            var e = await Assert.ThrowsAsync<RpcException>(() => client.GetCaptureJobAsync(new GetCaptureJobRequest { Id = job.Id }, TestNode.As(other)).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, e.StatusCode);
            e = await Assert.ThrowsAsync<RpcException>(() => client.GetCaptureJobAsync(new GetCaptureJobRequest { Id = "j0000000000000000" }, TestNode.As(_fixture.SubmitterKey)).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, e.StatusCode);
            using var http = new HttpRequestMessage(HttpMethod.Get, $"/v1/capture-jobs/{job.Id}");
            http.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Node.AdminKey);
            using var response = await Node.Http.SendAsync(http);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // an admin sees every job
            await JobAssert.EventuallyAsync(
                () => client.GetCaptureJobAsync(new GetCaptureJobRequest { Id = job.Id }, TestNode.As(_fixture.SubmitterKey)).ResponseAsync, JobAssert.Finished, "the job");
        }

        private async Task<(HttpStatusCode Status, string Json)> PostAsync(string path, string body, string? key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using var response = await Node.Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }
}
