using EvidenceChain.Node.IntegrationTests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// A gzip message that inflates to 1 GiB: refused once it inflates past the message limit, with the node's
/// allocations bounded. Alone in its collection, so that other tests' allocations do not count.
/// </summary>
[Collection(nameof(CompressionBombTests))]
[CollectionDefinition(nameof(CompressionBombTests), DisableParallelization = true)]
public sealed class CompressionBombTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    // What one request may make the node allocate: the message limit (~4 MiB) with its MemoryStream's doubling,
    // plus the bomb itself and the call's own buffers, is far below this; inflating the bomb is 1-2 GiB.
    private const long MaxAllocatedBytes = 200L << 20;
    private readonly NodeFixture _fixture = fixture;

    [Fact]
    public async Task GetCheckpoint_GzipBomb_ResourceExhaustedAndMemoryBounded()
    {
        var bomb = RawGrpc.GzipBomb.Value;

        var (status, allocated) = await MeasureAsync(() => RawGrpc.CallAsync(
            _fixture.Node.Node.GrpcAddress, "evidencechain.v1.LogService/GetCheckpoint",
            new ByteArrayContent(RawGrpc.Frame(bomb, compressed: true)), encoding: "gzip"));

        Assert.True(status.StatusCode == StatusCode.ResourceExhausted, $"Expected RESOURCE_EXHAUSTED, got {status}");
        Assert.Contains("inflates to more than", status.Detail, StringComparison.Ordinal);
        Assert.True(allocated < MaxAllocatedBytes, $"The call allocated {allocated >> 20} MiB.");
        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_GzipBombChunk_ResourceExhaustedMemoryBoundedNothingKept()
    {
        var bomb = RawGrpc.GzipBomb.Value;
        var metadata = Uploads.Metadata("bomb.bin").ToByteArray();
        var body = new ByteArrayContent([.. RawGrpc.Frame(metadata), .. RawGrpc.Frame(bomb, compressed: true)]);

        var (status, allocated) = await MeasureAsync(() => RawGrpc.CallAsync(
            _fixture.Node.Node.GrpcAddress, "evidencechain.v1.EvidenceService/PreserveFile", body, _fixture.SubmitterKey, "gzip"));

        Assert.True(status.StatusCode == StatusCode.ResourceExhausted, $"Expected RESOURCE_EXHAUSTED, got {status}");
        Assert.True(allocated < MaxAllocatedBytes, $"The call allocated {allocated >> 20} MiB.");
        var temp = Path.Combine(_fixture.Node.DataPath, "blobs", "tmp");
        Assert.Empty(Directory.Exists(temp) ? Directory.EnumerateFiles(temp) : []);
        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task TranscodedPost_GzipContentEncodingBomb_NotInflated()
    {
        // The HTTP endpoints have no request decompression: the body is taken as the (malformed) JSON it is.
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/cases") { Content = new ByteArrayContent(RawGrpc.GzipBomb.Value) };
        request.Content.Headers.ContentType = new("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Authorization = new("Bearer", manager);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await node.Http.SendAsync(request);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(allocated < MaxAllocatedBytes, $"The call allocated {allocated >> 20} MiB.");
        node.AssertNoErrors();
    }

    [Fact]
    public async Task GetCheckpoint_GzipRequest_Served()
    {
        // A well-behaved compressing client still works: an empty request message, gzip-compressed.
        var empty = RawGrpc.Gzip(0);

        var status = await RawGrpc.CallAsync(
            _fixture.Node.Node.GrpcAddress, "evidencechain.v1.LogService/GetCheckpoint", new ByteArrayContent(RawGrpc.Frame(empty, compressed: true)), encoding: "gzip");

        Assert.Equal(StatusCode.OK, status.StatusCode);
    }

    private static async Task<(Status Status, long Allocated)> MeasureAsync(Func<Task<Status>> call)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var status = await call();
        return (status, GC.GetTotalAllocatedBytes(precise: true) - before);
    }
}
