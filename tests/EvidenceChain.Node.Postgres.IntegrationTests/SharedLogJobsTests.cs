using EvidenceChain.Api.V1;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using EvidenceChain.Testing.Postgres;
using Grpc.Core;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// Two nodes on one postgres log: capture jobs and watches are changed and run only where the log is sequenced, so a
/// front-end refuses them with one line until it takes sequencing over.
/// </summary>
public sealed class SharedLogJobsTests
{
    private static readonly string[] NoBrowser = ["--Capture:BrowserPath", "none"];

    [Fact]
    public async Task FrontEnd_RefusesJobsAndWatches_UntilItTakesSequencingOver()
    {
        using var temp = new TempFolder();
        var first = await TestNode.StartAsync(temp.Sub("a"), NoBrowser);
        TestNode? second = null;
        try
        {
            var submitter = await first.CreateKeyAsync("submitter");
            CopyFolder(Path.Combine(first.DataPath, "keys"), Path.Combine(temp.Sub("b"), "keys")); // every process of a log uses one keys folder
            second = await TestNode.StartAsync(
                temp.Sub("b"), [.. NoBrowser, "--Storage:PostgresSchema", PostgresNodeDatabase.SchemaFor(first.DataPath)]);
            Assert.Contains(second.Logs.Records, r => r.Message.Contains("as a front-end", StringComparison.Ordinal));

            var jobs = new CaptureJobService.CaptureJobServiceClient(second.Channel);
            var watches = new WatchService.WatchServiceClient(second.Channel);
            var batch = new CaptureBatchRequest { Urls = { "https://example.org/a" } };
            var watch = new CreateWatchRequest { Url = "https://example.org/w", EveryMinutes = 5, Until = "2099-01-01" };

            var refused = await Assert.ThrowsAsync<RpcException>(() => jobs.CaptureBatchAsync(batch, TestNode.As(submitter)).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
            Assert.Contains("front-end of a shared log", refused.Status.Detail, StringComparison.Ordinal);
            refused = await Assert.ThrowsAsync<RpcException>(() => watches.CreateWatchAsync(watch, TestNode.As(submitter)).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
            Assert.Empty((await jobs.ListCaptureJobsAsync(new ListCaptureJobsRequest(), TestNode.As(submitter))).Jobs);

            // The sequencer stops; the front-end takes over and now takes the watch.
            await first.DisposeAsync();
            first = null;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            Api.V1.Watch? created = null;
            while (created is null)
            {
                try
                {
                    created = await watches.CreateWatchAsync(watch, TestNode.As(submitter));
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(200);
                }
            }

            Assert.Matches("^w[0-9a-f]{16}$", created.Id);
        }
        finally
        {
            if (second is not null)
            {
                await second.DisposeAsync();
            }

            if (first is not null)
            {
                await first.DisposeAsync();
            }
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
