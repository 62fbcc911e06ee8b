using EvidenceChain.Node.IntegrationTests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// Malformed uploads sent raw are the client's fault: INVALID_ARGUMENT with a message naming what was wrong, and
/// nothing logged above information level.
/// </summary>
public sealed class MalformedRequestTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string PreserveFile = "evidencechain.v1.EvidenceService/PreserveFile";
    private readonly NodeFixture _fixture = fixture;

    [Fact]
    public async Task PreserveFile_TruncatedProtobufChunk_InvalidArgumentNotLoggedAsError()
    {
        // Field 2 (chunk), length 100, but only one byte follows.
        byte[] truncated = [0x12, 100, 0x01];

        var status = await SendAsync(RawGrpc.Frame(Uploads.Metadata("m.bin").ToByteArray()), RawGrpc.Frame(truncated));

        Assert.True(status.StatusCode == StatusCode.InvalidArgument, $"Expected INVALID_ARGUMENT, got {status}");
        Assert.Contains("Malformed protobuf message", status.Detail, StringComparison.Ordinal);
        AssertNoErrorLogsOrStackTraces();
    }

    [Fact]
    public async Task PreserveFile_FrameCutOff_InvalidArgumentNotLoggedAsError()
    {
        // A frame announcing 100 bytes, then the stream ends after 3.
        byte[] cut = [0, 0, 0, 0, 100, 0x12, 1, 0x01];

        var status = await SendAsync(RawGrpc.Frame(Uploads.Metadata("m.bin").ToByteArray()), cut);

        Assert.True(status.StatusCode == StatusCode.InvalidArgument, $"Expected INVALID_ARGUMENT, got {status}");
        Assert.Contains("cut off", status.Detail, StringComparison.Ordinal);
        AssertNoErrorLogsOrStackTraces();
    }

    [Fact]
    public async Task PreserveFile_FileNameInvalidUtf8_InvalidArgumentNothingPreserved()
    {
        // metadata { file_name: FF FE }, then one chunk.
        byte[] metadata = [0x0A, 0x04, 0x0A, 0x02, 0xFF, 0xFE];
        var size = _fixture.Node.Node.Ledger.Size;

        var status = await SendAsync(RawGrpc.Frame(metadata), RawGrpc.Frame(Uploads.Chunk([1, 2, 3]).ToByteArray()));

        Assert.True(status.StatusCode == StatusCode.InvalidArgument, $"Expected INVALID_ARGUMENT, got {status}");
        Assert.Contains("UTF-8", status.Detail, StringComparison.Ordinal);
        Assert.Equal(size, _fixture.Node.Node.Ledger.Size);
        AssertNoErrorLogsOrStackTraces();
    }

    [Theory]
    [InlineData("evidencechain.v1.EvidenceService/GetEntry", new byte[] { 0x08, 0xFF })] // varint cut off
    [InlineData("evidencechain.v1.LogService/GetCheckpoint", new byte[] { 0x0A, 0x05, 0x41 })] // length beyond the message
    [InlineData("evidencechain.v1.EvidenceService/FindEntries", new byte[] { 0x0F })] // wire type 7 does not exist
    public async Task UnaryCall_MalformedProtobuf_InvalidArgumentNotLoggedAsError(string method, byte[] message)
    {
        var status = await RawGrpc.CallAsync(_fixture.Node.Node.GrpcAddress, method, new ByteArrayContent(RawGrpc.Frame(message)), _fixture.SubmitterKey);

        Assert.True(status.StatusCode == StatusCode.InvalidArgument, $"Expected INVALID_ARGUMENT, got {status}");
        Assert.Contains("Malformed protobuf message", status.Detail, StringComparison.Ordinal);
        AssertNoErrorLogsOrStackTraces();
    }

    private Task<Status> SendAsync(params byte[][] frames) =>
        RawGrpc.CallAsync(_fixture.Node.Node.GrpcAddress, PreserveFile, new ByteArrayContent([.. frames.SelectMany(f => f)]), _fixture.SubmitterKey);

    private void AssertNoErrorLogsOrStackTraces()
    {
        _fixture.Node.AssertNoErrors();
        var traced = _fixture.Node.Logs.Records.Where(r => r.Exception is not null && r.Level >= LogLevel.Warning).ToList();
        Assert.True(traced.Count == 0, "Logged with a stack trace:\n" + string.Join('\n', traced));
    }
}
