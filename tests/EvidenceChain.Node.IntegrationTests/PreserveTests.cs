using EvidenceChain.Api.V1;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Verifier;
using Grpc.Core;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>EvidenceService.PreserveFile over gRPC with the default limits: happy paths and malformed streams.</summary>
public sealed class PreserveTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly NodeFixture _fixture = fixture;

    [Fact]
    public async Task PreserveFile_SmallFile_EntryDescribesFileAndIsProvenByItsCheckpoint()
    {
        var node = _fixture.Node;
        var content = Bytes(1000, seed: 1);

        var response = await PreserveAsync(node, _fixture.SubmitterKey, content, "report.pdf", "application/pdf", title: "Report", description: "line 1\nline 2");

        var entry = response.Entry;
        Assert.Equal("file", entry.Kind);
        Assert.Equal(KeyId(_fixture.SubmitterKey), entry.Submitter);
        Assert.Equal(Rfc6962.HashLeaf(entry.Leaf.Span).ToString(), entry.LeafHash);
        var artefact = Assert.Single(entry.Artefacts);
        Assert.Equal(("file", "application/pdf", 1000ul, Sha256Hex(content), ""), (artefact.Name, artefact.MediaType, artefact.Size, artefact.Sha256, artefact.Sm3));
        Assert.Equal(("report.pdf", "Report", "line 1\nline 2"), (entry.Disclosed["file-name"], entry.Disclosed["title"], entry.Disclosed["description"]));
        Assert.Empty(entry.Attributes);
        Assert.True(response.TreeSize > entry.Index);
        var proof = await node.Log.GetInclusionProofAsync(new GetInclusionProofRequest { Index = entry.Index, TreeSize = response.TreeSize });
        var report = EntryVerifier.Verify(entry.Leaf.Span, entry.Index, [.. proof.Hashes.Select(Hash.Parse)], response.SignedCheckpoint, node.LogKey());
        Assert.True(report.IsValid, string.Join('\n', report.Steps));
        node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_EmptyMediaType_RecordsOctetStream()
    {
        var response = await PreserveAsync(_fixture.Node, _fixture.SubmitterKey, Bytes(10, seed: 2), mediaType: "");

        Assert.Equal("application/octet-stream", Assert.Single(response.Entry.Artefacts).MediaType);
        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_MatchingExpectedSha256_IsAccepted()
    {
        var content = Bytes(300, seed: 3);

        var response = await PreserveAsync(_fixture.Node, _fixture.SubmitterKey, content, expectedSha256: Sha256Hex(content));

        Assert.Equal(Sha256Hex(content), Assert.Single(response.Entry.Artefacts).Sha256);
        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_MultiChunkFile_DownloadsByteIdentical()
    {
        var node = _fixture.Node;
        var content = Bytes(5 << 20, seed: 4);

        var response = await PreserveAsync(node, _fixture.SubmitterKey, content, "big.bin", "application/octet-stream", chunkSize: 1 << 20);
        var (artefact, downloaded, chunks) = await DownloadAsync(node, _fixture.SubmitterKey, response.Entry.Index, "big.bin");

        Assert.Equal(response.Entry.Artefacts[0], artefact);
        Assert.True(chunks > 1, $"{chunks} chunk(s)");
        Assert.Equal(content.Length, downloaded.Length);
        Assert.True(content.AsSpan().SequenceEqual(downloaded), "The downloaded content differs from what was preserved.");
        node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_SameContentTwice_TwoEntriesOneBlobBothFound()
    {
        var node = _fixture.Node;
        var content = Bytes(64, seed: 5);

        var first = await PreserveAsync(node, _fixture.SubmitterKey, content, "one.bin");
        var second = await PreserveAsync(node, _fixture.SubmitterKey, content, "two.bin");
        var found = await node.Evidence.FindEntriesAsync(new FindEntriesRequest { Sha256 = Sha256Hex(content) });

        Assert.Equal([first.Entry.Index, second.Entry.Index], found.Entries.Select(e => e.Index));
        Assert.True(node.HasBlob(Sha256Hex(content)));
        node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_EmptyStream_InvalidArgumentNoMetadata()
    {
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => SendAsync(_fixture.Node, _fixture.SubmitterKey), "No metadata");

        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_ChunkBeforeMetadata_InvalidArgumentNamesMetadata()
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => SendAsync(_fixture.Node, _fixture.SubmitterKey, Chunk("x"u8), Metadata()), "first message must carry the metadata");

        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_MetadataTwice_InvalidArgumentAndNothingKept()
    {
        var node = _fixture.Node;
        var content = Bytes(100, seed: 6);
        var size = (await node.Log.GetCheckpointAsync(new GetCheckpointRequest())).TreeSize;

        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => SendAsync(node, _fixture.SubmitterKey, Metadata(), Chunk(content), Metadata(), Chunk(content)), "Metadata may only be sent once");

        node.AssertNothingKept(Sha256Hex(content));
        Assert.Equal(size, (await node.Log.GetCheckpointAsync(new GetCheckpointRequest())).TreeSize);
        node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_MatchingTrailerSha256_IsAccepted()
    {
        var content = Bytes(3000, seed: 31);

        var response = await SendAsync(
            _fixture.Node, _fixture.SubmitterKey, [Metadata(), .. content.Chunk(1000).Select(c => Chunk(c)), Trailer(Sha256Hex(content))]);

        Assert.Equal(Sha256Hex(content), Assert.Single(response.Entry.Artefacts).Sha256);
        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_TrailerDigestMismatch_InvalidArgumentAndNothingKept()
    {
        var node = _fixture.Node;
        var content = Bytes(2000, seed: 32);
        var claimed = Sha256Hex(Bytes(2000, seed: 33));
        var size = (await node.Log.GetCheckpointAsync(new GetCheckpointRequest())).TreeSize;

        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => SendAsync(node, _fixture.SubmitterKey, Metadata(), Chunk(content), Trailer(claimed)),
            "expected_sha256", claimed, Sha256Hex(content), "nothing was kept");

        node.AssertNothingKept(Sha256Hex(content));
        Assert.Equal(size, (await node.Log.GetCheckpointAsync(new GetCheckpointRequest())).TreeSize);
        node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_ChunkAfterTrailer_InvalidArgumentAndNothingKept()
    {
        var node = _fixture.Node;
        var content = Bytes(100, seed: 34);

        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => SendAsync(node, _fixture.SubmitterKey, Metadata(), Chunk(content), Trailer(Sha256Hex(content)), Chunk(content)),
            "trailer must be the last message");

        node.AssertNothingKept(Sha256Hex(content));
        node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_MalformedTrailerSha256_InvalidArgumentNamesField()
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => SendAsync(_fixture.Node, _fixture.SubmitterKey, Metadata(), Chunk(Bytes(10, seed: 35)), Trailer("12ab")),
            "trailer.expected_sha256");
        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_DigestMismatch_InvalidArgumentAndNothingKept()
    {
        var node = _fixture.Node;
        var content = Bytes(2000, seed: 7);
        var claimed = Sha256Hex(Bytes(2000, seed: 8));
        var size = (await node.Log.GetCheckpointAsync(new GetCheckpointRequest())).TreeSize;

        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => PreserveAsync(node, _fixture.SubmitterKey, content, chunkSize: 500, expectedSha256: claimed),
            "expected_sha256", claimed, Sha256Hex(content), "nothing was kept");

        node.AssertNothingKept(Sha256Hex(content));
        Assert.Empty((await node.Evidence.FindEntriesAsync(new FindEntriesRequest { Sha256 = Sha256Hex(content) })).Entries);
        Assert.Equal(size, (await node.Log.GetCheckpointAsync(new GetCheckpointRequest())).TreeSize);
        node.AssertNoErrors();
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef00")]
    public async Task PreserveFile_MalformedExpectedSha256_InvalidArgumentNamesField(string expected)
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => PreserveAsync(_fixture.Node, _fixture.SubmitterKey, Bytes(10, seed: 9), expectedSha256: expected),
            "metadata.expected_sha256", "64 hex digits");

        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_NoContent_PreservesEmptyFile()
    {
        var response = await SendAsync(_fixture.Node, _fixture.SubmitterKey, Metadata("empty.txt"));

        var artefact = response.Entry.Artefacts[0];
        Assert.Equal(0UL, artefact.Size);
        Assert.Equal(Sha256Hex([]), artefact.Sha256);
        var (_, content, _) = await DownloadAsync(_fixture.Node, _fixture.SubmitterKey, response.Entry.Index, "empty.txt");
        Assert.Empty(content);
        _fixture.Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("file_name", "\u202E")]
    [InlineData("file_name", "\u200E")]
    [InlineData("title", "\u2067")]
    [InlineData("title", "\u202A")]
    [InlineData("description", "\u2069")]
    [InlineData("description", "\u061C")]
    public async Task PreserveFile_BidiControl_InvalidArgumentNamesFieldAndCodePoint(string field, string bidi)
    {
        var content = Bytes(10, seed: 40);
        var size = _fixture.Node.Node.Ledger.Size;

        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument,
            () => PreserveAsync(
                _fixture.Node, _fixture.SubmitterKey, content,
                fileName: field == "file_name" ? "invoice" + bidi + "fdp.exe" : "a.txt",
                title: field == "title" ? "t" + bidi : string.Empty,
                description: field == "description" ? "d" + bidi : string.Empty),
            field, $"U+{(int)bidi[0]:X4}");

        Assert.Equal(size, _fixture.Node.Node.Ledger.Size);
        _fixture.Node.AssertNothingKept(Sha256Hex(content));
        _fixture.Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a\nb")]
    [InlineData("a\u0000b")]
    public async Task PreserveFile_BadFileName_InvalidArgumentNamesFileName(string fileName)
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => PreserveAsync(_fixture.Node, _fixture.SubmitterKey, Bytes(10, seed: 10), fileName), "file_name", "bare file name");

        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_EmptyFileName_InvalidArgumentNamesFileName()
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => PreserveAsync(_fixture.Node, _fixture.SubmitterKey, Bytes(10, seed: 11), ""), "file_name is empty");

        _fixture.Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("pdf")]
    [InlineData("text/")]
    [InlineData("/plain")]
    [InlineData("text/plain; x=\u00e9")]
    public async Task PreserveFile_BadMediaType_InvalidArgumentNamesMediaType(string mediaType)
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => PreserveAsync(_fixture.Node, _fixture.SubmitterKey, Bytes(10, seed: 12), mediaType: mediaType), "media_type");

        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_ControlCharacterInTitle_InvalidArgumentNamesTitle()
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => PreserveAsync(_fixture.Node, _fixture.SubmitterKey, Bytes(10, seed: 13), title: "a\tb"), "title");

        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_DefaultTitleLimitPlusOne_InvalidArgumentNamesLimit()
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => PreserveAsync(_fixture.Node, _fixture.SubmitterKey, Bytes(10, seed: 14), title: new string('t', 1025)),
            "title is 1025 UTF-8 bytes", "Limits:MaxTitleBytes");

        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_DefaultFileNameLimitPlusOne_InvalidArgumentNamesLimit()
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => PreserveAsync(_fixture.Node, _fixture.SubmitterKey, Bytes(10, seed: 15), new string('f', 256)),
            "file_name is 256 UTF-8 bytes", "Limits:MaxFileNameBytes");

        _fixture.Node.AssertNoErrors();
    }
}
