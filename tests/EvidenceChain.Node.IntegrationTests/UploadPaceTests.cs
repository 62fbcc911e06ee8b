using System.Diagnostics;
using System.Net;
using EvidenceChain.Api.V1;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing.Node;
using Grpc.Core;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// Uploads that stall or trickle are ended, give back their upload slot and keep nothing; on a node with a 1 s idle
/// timeout, a 100 bytes/s minimum rate after 1.5 s, and one upload slot per key.
/// </summary>
public sealed class UploadPaceTests(UploadPaceTests.SlowUploadNode fixture) : IClassFixture<UploadPaceTests.SlowUploadNode>
{
    private readonly SlowUploadNode _fixture = fixture;

    [Fact]
    public async Task PreserveFile_OneByteEveryFourSeconds_DeadlineExceededIdleAndNothingKept()
    {
        var node = _fixture.Node;
        var size = node.Node.Ledger.Size;

        await RpcAssert.FailsAsync(
            StatusCode.DeadlineExceeded, () => TrickleAsync(node, _fixture.SubmitterKey, TimeSpan.FromSeconds(4)), "Limits:UploadIdleTimeout", "nothing was kept");

        await AssertNothingKeptAndSlotFreeAsync(size);
    }

    [Fact]
    public async Task PreserveFile_FiveBytesPerSecond_DeadlineExceededTooSlowAndNothingKept()
    {
        var node = _fixture.Node;
        var size = node.Node.Ledger.Size;

        await RpcAssert.FailsAsync(
            StatusCode.DeadlineExceeded, () => TrickleAsync(node, _fixture.SubmitterKey, TimeSpan.FromMilliseconds(200)), "Limits:MinUploadBytesPerSecond", "nothing was kept");

        await AssertNothingKeptAndSlotFreeAsync(size);
    }

    [Fact]
    public async Task PostFiles_Stalled_Http408Idle()
    {
        var size = _fixture.Node.Node.Ledger.Size;

        using var response = await PostTrickleAsync(TimeSpan.FromSeconds(4));

        await HttpAssert.ErrorAsync(response, HttpStatusCode.RequestTimeout, StatusCode.DeadlineExceeded, "Limits:UploadIdleTimeout", "nothing was kept");
        await AssertNothingKeptAndSlotFreeAsync(size);
    }

    [Fact]
    public async Task PostFiles_Trickling_Http408TooSlow()
    {
        var size = _fixture.Node.Node.Ledger.Size;

        using var response = await PostTrickleAsync(TimeSpan.FromMilliseconds(200));

        await HttpAssert.ErrorAsync(response, HttpStatusCode.RequestTimeout, StatusCode.DeadlineExceeded, "Limits:MinUploadBytesPerSecond");
        await AssertNothingKeptAndSlotFreeAsync(size);
    }

    // Metadata, then one byte per interval (at most 40) until the node ends the call.
    private static async Task<PreserveFileResponse> TrickleAsync(TestNode node, string key, TimeSpan interval)
    {
        using var call = node.Evidence.PreserveFile(TestNode.As(key));
        try
        {
            await call.RequestStream.WriteAsync(Metadata("slow.bin"));
            for (var i = 0; i < 40 && !call.ResponseAsync.IsCompleted; i++)
            {
                await call.RequestStream.WriteAsync(Chunk([(byte)i]));
                await Task.WhenAny(Task.Delay(interval), call.ResponseAsync);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException or HttpRequestException)
        {
            // The node has ended the call; its status comes with the response.
        }

        return await call.ResponseAsync;
    }

    private async Task<HttpResponseMessage> PostTrickleAsync(TimeSpan interval)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/files?file_name=slow.bin") { Content = new TrickleContent(interval) };
        request.Headers.Authorization = new("Bearer", _fixture.SubmitterKey);
        return await _fixture.Node.Http.SendAsync(request);
    }

    private async Task AssertNothingKeptAndSlotFreeAsync(ulong size)
    {
        var node = _fixture.Node;
        Assert.Equal(size, node.Node.Ledger.Size);
        var temp = Path.Combine(node.DataPath, "blobs", "tmp");
        Assert.Empty(Directory.Exists(temp) ? Directory.EnumerateFiles(temp, "*", SearchOption.AllDirectories) : []);

        // The key's only upload slot is free again.
        var response = await PreserveAsync(node, _fixture.SubmitterKey, Bytes(100, seed: (int)size));
        Assert.Equal(100UL, response.Entry.Artefacts[0].Size);
        node.AssertNoErrors();
    }

    public sealed class SlowUploadNode : NodeFixture
    {
        protected override string[] Settings =>
        [
            "--Limits:UploadIdleTimeout", "00:00:02", "--Limits:MinUploadBytesPerSecond", "100",
            "--Limits:UploadRateGracePeriod", "00:00:03", "--Limits:MaxConcurrentUploadsPerKey", "1",
        ];
    }

    // A chunked body of one byte per interval, for at most 6 s; stops early when the node has closed the connection.
    private sealed class TrickleContent(TimeSpan interval) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                for (var i = 0; i < 40 && clock.Elapsed < TimeSpan.FromSeconds(6); i++)
                {
                    await stream.WriteAsync(new[] { (byte)i });
                    await stream.FlushAsync();
                    await Task.Delay(interval);
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
            {
                // The node answered and closed the connection.
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
