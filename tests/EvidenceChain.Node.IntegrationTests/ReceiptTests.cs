using System.Net;
using System.Text;
using EvidenceChain.Api.V1;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using EvidenceChain.Verifier.Receipts;
using Google.Protobuf;
using Grpc.Core;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>GetReceipt over gRPC and JSON, the receipt zip, and PreserveFile waiting for its receipt, on the built-in TSA.</summary>
public sealed class ReceiptTests(ReceiptTests.FiveEntryNode fixture) : IClassFixture<ReceiptTests.FiveEntryNode>
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));
    private readonly FiveEntryNode _fixture = fixture;

    private TestNode Node => _fixture.Node;

    private static CallOptions Wait => new(deadline: DateTime.UtcNow.AddSeconds(60));

    [Fact]
    public async Task GetReceipt_Grpc_ValidReceiptAtTheEarliestStampedCheckpointCoveringTheEntry()
    {
        foreach (var preserved in _fixture.Preserved)
        {
            var index = preserved.Entry.Index;

            var receipt = await Node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index, Wait = true }, Wait);

            await Timestamps.AssertValidAsync(receipt, index, Node, Node.TsaCaPath());
            Assert.Equal(preserved.Entry.Leaf, receipt.Leaf);

            // Each entry was preserved alone, so its own checkpoint is the first to cover it, and the built-in TSA stamps
            // every checkpoint: the receipt must be at that size, not at the (larger) latest one.
            Assert.Equal(preserved.TreeSize, receipt.TreeSize);
            Assert.Equal(index + 1, receipt.TreeSize);
        }

        var latest = await Node.Log.GetCheckpointAsync(new GetCheckpointRequest());
        Assert.True(latest.TreeSize > _fixture.Preserved[0].TreeSize);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetReceipt_Json_SameReceiptAsGrpc()
    {
        var index = _fixture.Preserved[1].Entry.Index;
        var grpc = await Node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index, Wait = true }, Wait);

        using var response = await Node.Http.GetAsync($"/v1/entries/{index}/receipt");

        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        Assert.Equal(grpc, Parser.Parse<Receipt>(json));
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetReceiptZip_OpensWithReceiptArchiveAndHoldsTheSameEvidence()
    {
        var index = _fixture.Preserved[2].Entry.Index;
        var grpc = await Node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index, Wait = true }, Wait);

        using var response = await Node.Http.GetAsync($"/v1/entries/{index}/receipt.zip?wait=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"entry-{index}.evidence.zip", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var zip = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(zip.Length, response.Content.Headers.ContentLength);
        await using var package = await ReceiptArchive.OpenAsync(zip);
        var evidence = package.Evidence;
        Assert.Equal(grpc.Leaf.ToByteArray(), evidence.Entry.ToArray());
        Assert.Equal(grpc.TlogProof, Encoding.UTF8.GetString(evidence.Proof.Span));
        Assert.Equal(grpc.TimestampResponse.ToByteArray(), evidence.TimestampResponse!.Value.ToArray());
        var checkpoint = EvidenceChain.Core.Proofs.TlogProof.Parse(evidence.Proof.Span).Checkpoint;
        Assert.Equal(CheckpointTimestamper.NoteText(checkpoint), evidence.CheckpointText!.Value.ToArray());
        Assert.Empty(evidence.Artefacts);
        Assert.Equal(grpc.LogVerifierKey.Trim(), package.LogVerifierKey?.Trim());
        Assert.Contains((await File.ReadAllTextAsync(Node.TsaCaPath())).Trim(), package.TsaChainPem, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(package.Instructions));
        Openssl.AssertVerified(await Timestamps.OpensslVerifyAsync(evidence.CheckpointText!.Value.ToArray(), evidence.TimestampResponse!.Value.ToArray(), Node.TsaCaPath()));
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetReceipt_UnknownIndex_NotFoundNamingTheSizeEverywhere()
    {
        var size = (await Node.Log.GetCheckpointAsync(new GetCheckpointRequest())).TreeSize;
        var index = size + 1000;
        var message = $"Entry {index} does not exist: the latest checkpoint has {size} entries";

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index }).ResponseAsync, message);
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index, Wait = true }).ResponseAsync, message);
        using (var json = await Node.Http.GetAsync($"/v1/entries/{index}/receipt"))
        {
            await HttpAssert.ErrorAsync(json, HttpStatusCode.NotFound, StatusCode.NotFound, message);
        }

        using (var zip = await Node.Http.GetAsync($"/v1/entries/{index}/receipt.zip"))
        {
            await HttpAssert.ErrorAsync(zip, HttpStatusCode.NotFound, StatusCode.NotFound, message);
        }

        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("/v1/entries/x1/receipt.zip", "index")]
    [InlineData("/v1/entries/0/receipt.zip?wait=yes", "wait")]
    public async Task GetReceiptZip_BadParameters_400(string uri, string named)
    {
        using var response = await Node.Http.GetAsync(uri);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, StatusCode.InvalidArgument, named);
    }

    [Fact]
    public async Task PreserveFile_WaitForReceipt_ReturnsAValidReceiptForTheNewEntry()
    {
        var content = Bytes(2000, seed: 41);
        var request = Metadata("scan.png", "image/png");
        request.Metadata.WaitForReceipt = true;

        var response = await SendAsync(Node, _fixture.SubmitterKey, request, Chunk(content));

        Assert.NotNull(response.Receipt);
        await Timestamps.AssertValidAsync(response.Receipt, response.Entry.Index, Node, Node.TsaCaPath());
        Assert.Equal(response.Entry.Leaf, response.Receipt.Leaf);
        Assert.Equal(response.TreeSize, response.Receipt.TreeSize);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_WithoutWaitForReceipt_NoReceipt()
    {
        var response = await PreserveAsync(Node, _fixture.SubmitterKey, Bytes(20, seed: 42));

        Assert.Null(response.Receipt);
    }

    [Fact]
    public async Task GetReceipt_NoKeyNeeded()
    {
        var index = _fixture.Preserved[0].Entry.Index;
        var receipt = await Node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index, Wait = true }, Wait);

        Assert.Equal(index, receipt.Index);
    }

    [Fact]
    public async Task ReceiptZip_SameEntry_SameBytesDatedWithTheEntrysTime()
    {
        var index = _fixture.Preserved[0].Entry.Index;
        var first = await Node.Http.GetByteArrayAsync($"/v1/entries/{index}/receipt.zip");
        await Task.Delay(TimeSpan.FromSeconds(2.1)); // past the zip format's two-second time resolution
        var second = await Node.Http.GetByteArrayAsync($"/v1/entries/{index}/receipt.zip");

        Assert.Equal(first, second);
        var entryTime = DateTimeOffset.Parse(_fixture.Preserved[0].Entry.Time, System.Globalization.CultureInfo.InvariantCulture);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(first));
        Assert.All(zip.Entries, m => Assert.True(
            Math.Abs((m.LastWriteTime.DateTime - entryTime.UtcDateTime).TotalSeconds) <= 2,
            $"{m.FullName} is dated {m.LastWriteTime}, the entry {entryTime:O}"));
    }

    [Fact]
    public async Task PostFiles_WaitForReceipt_JsonCarriesAValidReceipt()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/files?file_name=r.bin&wait_for_receipt=true")
        {
            Content = new ByteArrayContent(Bytes(50, seed: 43)),
        };
        request.Headers.Authorization = new("Bearer", _fixture.SubmitterKey);

        using var response = await Node.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preserved = Parser.Parse<PreserveFileResponse>(await response.Content.ReadAsStringAsync());
        Assert.NotNull(preserved.Receipt);
        await Timestamps.AssertValidAsync(preserved.Receipt, preserved.Entry.Index, Node, Node.TsaCaPath());
    }

    [Fact]
    public async Task PostFiles_WaitForReceiptNotABoolean_InvalidArgumentAndNothingKept()
    {
        var size = Node.Node.Ledger.Latest.Size;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/files?file_name=r.bin&wait_for_receipt=yes")
        {
            Content = new ByteArrayContent(Bytes(50, seed: 44)),
        };
        request.Headers.Authorization = new("Bearer", _fixture.SubmitterKey);

        using var response = await Node.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("wait_for_receipt", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(size, Node.Node.Ledger.Latest.Size);
    }

    public sealed class FiveEntryNode : NodeFixture
    {
        public List<PreserveFileResponse> Preserved { get; } = [];

        protected override async Task SeedAsync(TestNode node)
        {
            for (var i = 0; i < 5; i++)
            {
                Preserved.Add(await PreserveAsync(node, SubmitterKey, Bytes(100 + i, seed: 400 + i), $"f{i}.bin"));
            }
        }
    }
}
