using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using EvidenceChain.Api.V1;
using EvidenceChain.Node.IntegrationTests.Cases;
using EvidenceChain.Node.Jobs;
using EvidenceChain.Testing.Node;
using EvidenceChain.Verifier.Watches;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EvidenceChain.Node.IntegrationTests.Jobs;

/// <summary>
/// A watch exported with its receipts (docs/formats.md §20, "Watch export"), over HTTP and gRPC, while it runs and after
/// it ended, verified offline with <see cref="WatchExportVerifier"/>; tampered exports fail at the step that says why.
/// </summary>
public sealed class WatchExportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Epoch = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Epoch);
    private JobSite _site = null!;

    public async Task InitializeAsync() => _site = await JobSite.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Export_RunningWatch_SummaryMadeForTheExport_VerifiesOffline_WatchGoesOn_AfterStopTheFinalSummary()
    {
        await using var node = await StartAsync();
        var submitter = await node.CreateKeyAsync("submitter");
        var client = new WatchService.WatchServiceClient(node.Channel);
        var id = await ThreeSlotsAsync(client, submitter);

        var (running, headers, digest) = await ExportOverHttpAsync(node, submitter, id, "running.zip");
        Assert.Equal("attachment", headers.ContentDisposition!.DispositionType);
        Assert.Equal("running.zip", headers.ContentDisposition.FileNameStar);
        Assert.Equal($"sha-256=:{Convert.ToBase64String(SHA256.HashData(running))}:", digest);
        var report = await VerifyAsync(node, running);
        Assert.True(report.IsValid, Describe(report));
        var timeline = report.Timeline!;
        Assert.Equal(id, timeline.WatchId);
        Assert.NotNull(timeline.Exported);
        Assert.StartsWith("- ", timeline.Ended);
        Assert.Equal(["first-seen", "unchanged", "gone"], timeline.Slots.Select(s => s.Kind));
        Assert.Equal(4, report.Entries.Count);
        Assert.True(report.Entries[0].IsSummary);
        Assert.Equal(["export layout", "timeline signature", "timeline format", "summary entry", "captures"], report.Export.Steps.Select(s => s.Name));
        var summary = await node.Evidence.GetEntryAsync(new GetEntryRequest { Index = report.Entries[0].Index });
        Assert.Equal("watch-summary", summary.Kind);
        Assert.Equal(string.Empty, summary.Attributes["ended"]);
        Assert.Equal(submitter.Split('.')[0], summary.Attributes["exported-by"]);
        using (var zip = new ZipArchive(new MemoryStream(running)))
        {
            var verify = new StreamReader(zip.GetEntry("VERIFY.txt")!.Open()).ReadToEnd();
            Assert.Contains("evidencectl verify-watch running.zip --log-key LOG.vkey --tsa-ca TSA-CA.pem", verify);
        }

        // The watch goes on after the export.
        Assert.Equal("active", (await client.GetWatchAsync(new GetWatchRequest { Id = id }, TestNode.As(submitter))).State);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await WatchTests.SlotsAsync(client, id, submitter, 4);
        var stopped = await client.StopWatchAsync(new GetWatchRequest { Id = id }, TestNode.As(submitter));

        // Exported after the stop, by an admin over gRPC: the final summary, no new entry.
        var size = node.Node.Ledger.Size;
        var (info, ended) = await ExportOverGrpcAsync(client, node.AdminKey, id);
        Assert.Equal(size, node.Node.Ledger.Size);
        Assert.Equal(stopped.SummaryIndex, info.SummaryIndex);
        Assert.False(info.SummarisedForExport);
        Assert.Equal(4u, info.Captures);
        Assert.Equal($"watch-{id}.zip", info.FileName);
        var final = await VerifyAsync(node, ended);
        Assert.True(final.IsValid, Describe(final));
        Assert.Null(final.Timeline!.Exported);
        Assert.Contains("stopped by ", final.Timeline.Ended);
        Assert.Equal(4, final.Timeline.Slots.Count);
        node.AssertNoErrors();
    }

    [Fact]
    public async Task VerifyWatch_TamperedExports_FailAtTheStepThatSaysWhy()
    {
        await using var node = await StartAsync();
        var submitter = await node.CreateKeyAsync("submitter");
        var client = new WatchService.WatchServiceClient(node.Channel);
        var id = await ThreeSlotsAsync(client, submitter);
        var (first, _, _) = await ExportOverHttpAsync(node, submitter, id, null);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await WatchTests.SlotsAsync(client, id, submitter, 4);
        var (second, _, _) = await ExportOverHttpAsync(node, submitter, id, null);
        var captures = Members(first).Where(m => m.StartsWith("captures/", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(3, captures.Count);

        // One capture the timeline names left out.
        var missing = await VerifyAsync(node, Rewrite(first, (name, bytes) => name == captures[1] ? null : bytes));
        Assert.False(missing.IsValid);
        Assert.Contains("1 capture(s) the timeline names have no receipt", Step(missing, "captures").Detail);
        Assert.Contains($"but the export has no {captures[1]}", missing.Entries.Single(e => !e.IsValid).Report.FirstFailure!.Detail);

        // The timeline of the first export with the summary receipt of the second: signed, but not the one that entry fixed.
        var summary2 = Members(second).Single(m => m.StartsWith("summary/", StringComparison.Ordinal));
        var swapped = Rewrite(first, (name, bytes) => name.StartsWith("summary/", StringComparison.Ordinal) ? null : bytes, (summary2, Read(second, summary2)));
        var mixed = await VerifyAsync(node, swapped);
        Assert.False(mixed.IsValid);
        Assert.True(Step(mixed, "timeline signature").Passed);
        Assert.Contains("this timeline.note has", Step(mixed, "summary entry").Detail);

        // A changed timeline line: its signature fails, and nothing is matched against it.
        var edited = await VerifyAsync(node, Rewrite(first, (name, bytes) =>
            name == "timeline.note" ? System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(bytes).Replace(" gone ", " unchanged ", StringComparison.Ordinal)) : bytes));
        Assert.False(edited.IsValid);
        Assert.False(Step(edited, "timeline signature").Passed);
        Assert.All(edited.Entries, e => Assert.Contains(e.Report.Steps, s => s.Name == "timeline" && s.Skipped));

        // A receipt of another entry under a capture's name.
        var other = Rewrite(first, (name, bytes) => name == captures[0] ? Read(first, captures[2]) : bytes);
        var renamed = await VerifyAsync(node, other);
        Assert.False(renamed.IsValid);
        Assert.Contains("but the member name says", renamed.Entries.Single(e => e.Member == captures[0]).Report.FirstFailure!.Detail);

        // An extra receipt the timeline does not name (the fourth capture, from the later export).
        var fourth = Members(second).Where(m => m.StartsWith("captures/", StringComparison.Ordinal)).Order().Except(captures).Single();
        var extra = await VerifyAsync(node, Rewrite(first, (_, bytes) => bytes, (fourth, Read(second, fourth))));
        Assert.False(extra.IsValid);
        Assert.Contains("the timeline names no slot with this entry", extra.Entries.Single(e => e.Member == fourth).Report.FirstFailure!.Detail);

        // Not a watch export at all.
        var notWatch = await VerifyAsync(node, Rewrite(first, (name, bytes) => name == "timeline.note" ? null : bytes));
        Assert.Contains("has no timeline.note", Step(notWatch, "export layout").Detail);
    }

    [Fact]
    public async Task ExportWatch_UnknownOrAnotherKeys_NotFound_BadFileName_NoKey_NothingAppended()
    {
        await using var node = await StartAsync();
        var submitter = await node.CreateKeyAsync("submitter");
        var other = await node.CreateKeyAsync("submitter");
        var client = new WatchService.WatchServiceClient(node.Channel);
        var id = (await client.CreateWatchAsync(
            new CreateWatchRequest { Url = _site.Watched, EveryMinutes = 1, Until = "2026-12-07T12:05:00Z" }, TestNode.As(submitter))).Id;
        await WatchTests.SlotsAsync(client, id, submitter, 1);
        var size = node.Node.Ledger.Size;

        foreach (var (path, key, status, message) in new[]
        {
            ($"/v1/watches/{id}/export.zip", other, HttpStatusCode.NotFound, "No watch"),
            ("/v1/watches/w0000000000000000/export.zip", submitter, HttpStatusCode.NotFound, "No watch"),
            ($"/v1/watches/{id}/export.zip?file_name=..%2Fx.zip", submitter, HttpStatusCode.BadRequest, "file_name \"../x.zip\" holds a folder separator"),
            ($"/v1/watches/{id}/export.zip", null, HttpStatusCode.Unauthorized, "needs an API key"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using var response = await node.Http.SendAsync(request);
            var json = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{path}: {response.StatusCode} {json}");
            Assert.Contains(message, JsonDocument.Parse(json).RootElement.GetProperty("message").GetString());
        }

        var grpc = await Assert.ThrowsAsync<RpcException>(() => ExportOverGrpcAsync(client, other, id));
        Assert.Equal(StatusCode.NotFound, grpc.StatusCode);
        Assert.Equal(size, node.Node.Ledger.Size);
    }

    private Task<TestNode> StartAsync() =>
        TestNode.StartWithAsync(null, b => b.Services.AddKeyedSingleton<TimeProvider>(NodeJobs.ClockKey, _clock), CaptureJobTests.Settings);

    /// <summary>A watch every minute whose page answers, answers the same, then 404s: three settled slots.</summary>
    private async Task<string> ThreeSlotsAsync(WatchService.WatchServiceClient client, string key)
    {
        _site.Serve(200, "<html><body>version 1</body></html>");
        var id = (await client.CreateWatchAsync(
            new CreateWatchRequest { Url = _site.Watched, EveryMinutes = 1, Until = "2026-12-07T12:30:00Z" }, TestNode.As(key))).Id;
        await WatchTests.SlotsAsync(client, id, key, 1);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await WatchTests.SlotsAsync(client, id, key, 2);
        _site.Serve(404, "not found");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await WatchTests.SlotsAsync(client, id, key, 3);
        return id;
    }

    private static async Task<(byte[] Zip, HttpContentHeaders Headers, string ReprDigest)> ExportOverHttpAsync(TestNode node, string key, string id, string? fileName)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/watches/{id}/export.zip" + (fileName is null ? string.Empty : "?file_name=" + fileName));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await node.Http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        var digest = response.Headers.TryGetValues("Repr-Digest", out var values) || response.Content.Headers.TryGetValues("Repr-Digest", out values) ? string.Join(",", values) : string.Empty;
        return (bytes, response.Content.Headers, digest);
    }

    private static async Task<(WatchExportInfo Info, byte[] Zip)> ExportOverGrpcAsync(WatchService.WatchServiceClient client, string key, string id)
    {
        using var call = client.ExportWatch(new ExportWatchRequest { Id = id }, TestNode.As(key));
        return await CaseClient.ReadExportAsync(call.ResponseStream, m => m.PartCase == ExportWatchResponse.PartOneofCase.Info ? m.Info : null, m => m.Chunk, i => (i.Size, i.Sha256));
    }

    private static async Task<WatchExportReport> VerifyAsync(TestNode node, byte[] zip)
    {
        using var stream = new MemoryStream(zip);
        return await WatchExportVerifier.VerifyAsync(stream, node.Trust());
    }

    private static Verifier.VerificationStep Step(WatchExportReport report, string name) => report.Export.Steps.Single(s => s.Name == name);

    private static string Describe(WatchExportReport report) => string.Join("\n",
        report.Export.Steps.Concat(report.Entries.SelectMany(e => e.Report.Steps)).Where(s => !s.Passed).Select(s => $"{s.Name}: {s.Detail}"));

    private static List<string> Members(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        return [.. archive.Entries.Select(e => e.FullName)];
    }

    private static byte[] Read(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        using var content = archive.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        content.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The zip with each member mapped (null: left out) and <paramref name="added"/> appended.</summary>
    private static byte[] Rewrite(byte[] zip, Func<string, byte[], byte[]?> map, params (string Name, byte[] Bytes)[] added)
    {
        using var output = new MemoryStream();
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in Members(zip))
            {
                if (map(name, Read(zip, name)) is { } bytes)
                {
                    using var member = target.CreateEntry(name).Open();
                    member.Write(bytes);
                }
            }

            foreach (var (name, bytes) in added)
            {
                using var member = target.CreateEntry(name).Open();
                member.Write(bytes);
            }
        }

        return output.ToArray();
    }
}
