using System.Net;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using Grpc.Core;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>Configured limits (file, chunk, metadata lengths, concurrent uploads per key) on a node with small ones.</summary>
public sealed class LimitsTests(LimitsTests.SmallLimitsNode fixture) : IClassFixture<LimitsTests.SmallLimitsNode>
{
    private const int MaxFileSize = 1000;
    private const int MaxChunkSize = 256;
    private readonly SmallLimitsNode _fixture = fixture;

    [Fact]
    public async Task PreserveFile_ExactlyMaxFileSize_IsAccepted()
    {
        var content = Bytes(MaxFileSize, seed: 20);

        var response = await PreserveAsync(_fixture.Node, _fixture.SubmitterKey, content, chunkSize: MaxChunkSize);

        Assert.Equal((ulong)MaxFileSize, response.Entry.Artefacts[0].Size);
        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_OverMaxFileSize_ResourceExhaustedAndNothingKept()
    {
        var node = _fixture.Node;
        var content = Bytes(MaxFileSize + 1, seed: 21);

        await RpcAssert.FailsAsync(
            StatusCode.ResourceExhausted, () => PreserveAsync(node, _fixture.SubmitterKey, content, chunkSize: MaxChunkSize),
            "Limits:MaxFileSize", $"{MaxFileSize} bytes", "nothing was kept");

        node.AssertNothingKept(Sha256Hex(content));
        node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_ChunkOverMaxChunkSize_ResourceExhaustedNamesLimit()
    {
        var node = _fixture.Node;
        var content = Bytes(MaxChunkSize + 1, seed: 22);

        await RpcAssert.FailsAsync(
            StatusCode.ResourceExhausted, () => PreserveAsync(node, _fixture.SubmitterKey, content, chunkSize: MaxChunkSize + 1),
            "Limits:MaxChunkSize", $"{MaxChunkSize + 1} bytes");

        node.AssertNothingKept(Sha256Hex(content));
        node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_ChunkOverTransportLimit_ResourceExhaustedNamesChunkLimit()
    {
        // The node's gRPC message limit is MaxChunkSize + 64 KiB; a chunk beyond it is refused by the transport.
        var content = Bytes(MaxChunkSize + (65 * 1024), seed: 28);

        await RpcAssert.FailsAsync(
            StatusCode.ResourceExhausted, () => PreserveAsync(_fixture.Node, _fixture.SubmitterKey, content, chunkSize: content.Length), "MaxChunkSize");

        _fixture.Node.AssertNothingKept(Sha256Hex(content));
        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_MessageAboveTheTransportLimit_ResourceExhaustedNamesChunkLimit()
    {
        // Far above what the transport accepts (4 MiB + 64 KiB at least): refused before the node sees the chunk.
        var content = Bytes((5 << 20) + 1, seed: 29);

        await RpcAssert.FailsAsync(
            StatusCode.ResourceExhausted, () => PreserveAsync(_fixture.Node, _fixture.SubmitterKey, content, chunkSize: content.Length), "Limits:MaxChunkSize");

        _fixture.Node.AssertNothingKept(Sha256Hex(content));
        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_TitleOverLimitInBytes_InvalidArgumentNamesTitleLimit()
    {
        // 9 characters, 18 UTF-8 bytes: the limit counts bytes.
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => PreserveAsync(_fixture.Node, _fixture.SubmitterKey, Bytes(10, seed: 23), title: new string('\u00e9', 9)),
            "title is 18 UTF-8 bytes", "Limits:MaxTitleBytes");

        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_TitleAtLimit_IsAccepted()
    {
        var response = await PreserveAsync(_fixture.Node, _fixture.SubmitterKey, Bytes(10, seed: 24), title: new string('\u00e9', 8));

        Assert.Equal(new string('\u00e9', 8), response.Entry.Disclosed["title"]);
        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_FileNameOverLimit_InvalidArgumentNamesFileNameLimit()
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => PreserveAsync(_fixture.Node, _fixture.SubmitterKey, Bytes(10, seed: 25), new string('n', 33)),
            "file_name is 33 UTF-8 bytes", "Limits:MaxFileNameBytes");

        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_DescriptionOverLimit_InvalidArgumentNamesDescriptionLimit()
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => PreserveAsync(_fixture.Node, _fixture.SubmitterKey, Bytes(10, seed: 26), description: new string('d', 65)),
            "description is 65 UTF-8 bytes", "Limits:MaxDescriptionBytes");

        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PostFiles_OverMaxFileSize_Http429JsonAndNothingKept()
    {
        var node = _fixture.Node;
        var content = Bytes(MaxFileSize + 100, seed: 27);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/files?file_name=big.bin") { Content = new ByteArrayContent(content) };
        request.Headers.Authorization = new("Bearer", _fixture.SubmitterKey);

        using var response = await node.Http.SendAsync(request);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.TooManyRequests, StatusCode.ResourceExhausted, "Limits:MaxFileSize");
        node.AssertNothingKept(Sha256Hex(content));
        node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_MoreConcurrentUploadsThanLimit_ResourceExhaustedUntilOneFinishes()
    {
        var node = _fixture.Node;
        var key = await node.CreateKeyAsync("submitter");
        using var http = GatedContent.Client(node.Node.HttpAddress);
        var held = Enumerable.Range(0, 2).Select(i => new GatedContent(Bytes(10, seed: 30 + i), Bytes(10, seed: 40 + i))).ToList();
        var uploads = held.Select((c, i) => http.SendAsync(c.Request($"held{i}.txt", key))).ToList();
        try
        {
            await Task.WhenAll(held.Select(c => c.Started)); // both uploads are inside the node, holding their slots

            await RpcAssert.FailsAsync(
                StatusCode.ResourceExhausted, () => PreserveAsync(node, key, Bytes(10, seed: 50)), "MaxConcurrentUploadsPerKey", KeyId(key));
            using var third = new HttpRequestMessage(HttpMethod.Post, "/v1/files?file_name=c.txt") { Content = new ByteArrayContent(Bytes(10, seed: 51)) };
            third.Headers.Authorization = new("Bearer", key);
            using var thirdResponse = await node.Http.SendAsync(third);
            await HttpAssert.ErrorAsync(thirdResponse, HttpStatusCode.TooManyRequests, StatusCode.ResourceExhausted, "MaxConcurrentUploadsPerKey");

            // Another key is not limited by this one's uploads.
            await PreserveAsync(node, _fixture.SubmitterKey, Bytes(10, seed: 52));
        }
        finally
        {
            held.ForEach(c => c.Release());
        }

        foreach (var upload in uploads)
        {
            using var done = await upload;
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        var after = await PreserveAsync(node, key, Bytes(10, seed: 53));
        Assert.Equal(KeyId(key), after.Entry.Submitter);
        held.ForEach(c => c.Dispose());
        node.AssertNoErrors();
    }

    public sealed class SmallLimitsNode : NodeFixture
    {
        protected override string[] Settings =>
        [
            "--Limits:MaxFileSize", $"{MaxFileSize}", "--Limits:MaxChunkSize", $"{MaxChunkSize}", "--Limits:MaxConcurrentUploadsPerKey", "2",
            "--Limits:MaxTitleBytes", "16", "--Limits:MaxFileNameBytes", "32", "--Limits:MaxDescriptionBytes", "64",
        ];
    }
}
