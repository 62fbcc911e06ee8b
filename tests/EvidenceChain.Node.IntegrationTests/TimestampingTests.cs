using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using EvidenceChain.Api.V1;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using Grpc.Core;
using Grpc.Health.V1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Tsp;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>The node's built-in TSA at POST /tsa, checked with openssl, and the "timestamping" health service.</summary>
public sealed class TimestampingTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly NodeFixture _fixture = fixture;

    private TestNode Node => _fixture.Node;

    private static ByteArrayContent Query(byte[] body, string contentType = "application/timestamp-query")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    [Fact]
    public async Task PostTsa_OpensslQuery_ReplyThatOpensslVerifiesAgainstTheNodesCa()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("evidence.pdf");
        await File.WriteAllBytesAsync(data, Bytes(5000, seed: 31));
        var query = await Openssl.QueryAsync(data, temp.Sub("q.tsq"));

        using var response = await Node.Http.PostAsync("/tsa", Query(query));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/timestamp-reply", response.Content.Headers.ContentType?.MediaType);
        await File.WriteAllBytesAsync(temp.Sub("r.tsr"), await response.Content.ReadAsByteArrayAsync());
        Openssl.AssertVerified(await Openssl.VerifyQueryAsync(temp.Sub("q.tsq"), temp.Sub("r.tsr"), Node.TsaCaPath()));
        Openssl.AssertVerified(await Openssl.VerifyDataAsync(data, temp.Sub("r.tsr"), Node.TsaCaPath()));
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PostTsa_ReplyFromAnotherNodesCa_OpensslRefuses()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("d");
        await File.WriteAllBytesAsync(data, Bytes(10, seed: 32));
        var query = await Openssl.QueryAsync(data, temp.Sub("q.tsq"));
        using var response = await Node.Http.PostAsync("/tsa", Query(query));
        await File.WriteAllBytesAsync(temp.Sub("r.tsr"), await response.Content.ReadAsByteArrayAsync());
        await using var other = await TestNode.StartAsync();

        Openssl.AssertRefused(await Openssl.VerifyQueryAsync(temp.Sub("q.tsq"), temp.Sub("r.tsr"), other.TsaCaPath()));
    }

    [Fact]
    public async Task PostTsa_ContentTypeWithParameters_Accepted()
    {
        var request = new TimeStampRequestGenerator().Generate(TspAlgorithms.Sha256, new byte[32]).GetEncoded();

        using var response = await Node.Http.PostAsync("/tsa", Query(request, "Application/Timestamp-Query; charset=binary"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((int)PkiStatus.Granted, new TimeStampResponse(await response.Content.ReadAsByteArrayAsync()).Status);
    }

    [Theory]
    [InlineData("application/octet-stream")]
    [InlineData("application/timestamp-reply")]
    [InlineData(null)]
    public async Task PostTsa_WrongContentType_415(string? contentType)
    {
        var request = new TimeStampRequestGenerator().Generate(TspAlgorithms.Sha256, new byte[32]).GetEncoded();
        var content = new ByteArrayContent(request);
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using (content)
        using (var response = await Node.Http.PostAsync("/tsa", content))
        {
            await HttpAssert.ErrorAsync(response, HttpStatusCode.UnsupportedMediaType, StatusCode.InvalidArgument, "application/timestamp-query");
        }

        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PostTsa_BodyOver64KiB_413WithOrWithoutContentLength(bool withLength)
    {
        var body = new byte[(64 * 1024) + 1];
        HttpContent content = withLength ? new ByteArrayContent(body) : new StreamContent(new NonSeekableStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");

        using (content)
        using (var response = await Node.Http.PostAsync("/tsa", content))
        {
            await HttpAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, StatusCode.ResourceExhausted, "65536 bytes");
        }

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PostTsa_Exactly64KiBOfGarbage_RejectionNotAnError()
    {
        using var response = await Node.Http.PostAsync("/tsa", Query(new byte[64 * 1024]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = new TimeStampResponse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((int)PkiStatus.Rejection, reply.Status);
        Assert.Equal(PkiFailureInfo.BadDataFormat, reply.GetFailInfo().IntValue);
    }

    [Fact]
    public async Task PostTsa_OverTheClientRate_429WithRetryAfter()
    {
        await using var node = await TestNode.StartAsync(null, "--Limits:TsaRequestsPerSecondPerClient", "3");
        var statuses = new List<HttpStatusCode>();
        string? retryAfter = null;
        for (var i = 0; i < 10; i++)
        {
            using var response = await node.Http.PostAsync("/tsa", Query("hello, TSA"u8.ToArray()));
            statuses.Add(response.StatusCode);
            retryAfter ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response.Headers.RetryAfter?.ToString() : null;
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], statuses.Take(3));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal("1", retryAfter);
    }

    [Fact]
    public async Task ReceiptWaits_OverTheLimit_ResourceExhausted()
    {
        using var ca = new TempCaFile();
        await using var node = await TestNode.StartAsync(
            null,
            "--Timestamping:Url", $"http://127.0.0.1:{ClosedPort()}/tsa",
            "--Timestamping:TrustedCaFile", ca.Path,
            "--Timestamping:Attempts", "1",
            "--Limits:MaxWaitingReceiptRequests", "1");
        var key = await node.CreateKeyAsync("submitter");
        var index = (await PreserveAsync(node, key, Bytes(100, seed: 37))).Entry.Index;
        using var first = node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index, Wait = true }, deadline: DateTime.UtcNow.AddSeconds(20));
        await Task.Delay(500); // the first request is now waiting for a token that never comes

        await RpcAssert.FailsAsync(
            StatusCode.ResourceExhausted,
            () => node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index, Wait = true }).ResponseAsync,
            "Limits:MaxWaitingReceiptRequests");
        Assert.False(first.ResponseAsync.IsCompleted);
    }

    [Fact]
    public async Task PostTsa_Garbage_RejectionResponseWithBadDataFormat()
    {
        using var response = await Node.Http.PostAsync("/tsa", Query("hello, TSA"u8.ToArray()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/timestamp-reply", response.Content.Headers.ContentType?.MediaType);
        var reply = new TimeStampResponse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((int)PkiStatus.Rejection, reply.Status);
        Assert.Null(reply.TimeStampToken);
        Assert.Equal(PkiFailureInfo.BadDataFormat, reply.GetFailInfo().IntValue);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task HealthTimestamping_BuiltInTsa_Serving()
    {
        var health = new Health.HealthClient(Node.Channel);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "timestamping" })).Status);
    }

    [Fact]
    public async Task ExternalTsa_AnotherNodesTsa_CheckpointsStampedByIt()
    {
        await using var tsaNode = await TestNode.StartAsync();
        await using var node = await TestNode.StartAsync(
            null,
            "--Timestamping:Url", new Uri(tsaNode.Node.HttpAddress, "/tsa").ToString(),
            "--Timestamping:Interval", "00:00:00.2",
            "--Timestamping:TrustedCaFile", tsaNode.TsaCaPath());
        var key = await node.CreateKeyAsync("submitter");
        var preserved = await PreserveAsync(node, key, Bytes(100, seed: 33));
        var index = preserved.Entry.Index;

        var receipt = await node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index, Wait = true }, deadline: DateTime.UtcNow.AddSeconds(60));

        await Timestamps.AssertValidAsync(receipt, index, node, tsaNode.TsaCaPath());
        var ownCa = await Timestamps.OpensslVerifyAsync(
            Ledger.Timestamping.CheckpointTimestamper.NoteText(EvidenceChain.Core.Proofs.TlogProof.Parse(System.Text.Encoding.UTF8.GetBytes(receipt.TlogProof)).Checkpoint),
            receipt.TimestampResponse.ToByteArray(),
            node.TsaCaPath());
        Openssl.AssertRefused(ownCa); // the token is the other node's, not the built-in TSA's
        var status = await new Health.HealthClient(node.Channel).CheckAsync(new HealthCheckRequest { Service = "timestamping" });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status.Status);
        node.AssertNoErrors();
        tsaNode.AssertNoErrors();
    }

    [Fact]
    public async Task ExternalTsa_TrustedCaFile_IsTheReceiptsTsaChain()
    {
        await using var tsaNode = await TestNode.StartAsync();
        await using var node = await TestNode.StartAsync(
            null,
            "--Timestamping:Url", new Uri(tsaNode.Node.HttpAddress, "/tsa").ToString(),
            "--Timestamping:Interval", "00:00:00.2",
            "--Timestamping:TrustedCaFile", tsaNode.TsaCaPath());
        var key = await node.CreateKeyAsync("submitter");
        var index = (await PreserveAsync(node, key, Bytes(100, seed: 34))).Entry.Index;

        var receipt = await node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index, Wait = true }, deadline: DateTime.UtcNow.AddSeconds(60));

        Assert.Equal(await File.ReadAllTextAsync(tsaNode.TsaCaPath()), receipt.TsaChainPem);
        await Timestamps.AssertValidAsync(receipt, index, node, tsaNode.TsaCaPath());
    }

    [Fact]
    public async Task ExternalTsa_WithoutTrustedCaFile_NodeRefusesToStart()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestNode.StartAsync(null, "--Timestamping:Url", "http://127.0.0.1:9/tsa"));

        var cause = Assert.IsType<ArgumentException>(e.InnerException);
        Assert.Contains("Timestamping:TrustedCaFile is required with Timestamping:Url", cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExternalTsa_TokensNotUnderTheTrustedCa_RefusedAndTimestampingNotServing()
    {
        await using var tsaNode = await TestNode.StartAsync();
        using var otherCa = new TempCaFile();
        await using var node = await TestNode.StartAsync(
            null,
            "--Timestamping:Url", new Uri(tsaNode.Node.HttpAddress, "/tsa").ToString(),
            "--Timestamping:Interval", "00:00:00.2",
            "--Timestamping:Attempts", "1",
            "--Timestamping:TrustedCaFile", otherCa.Path);
        ExpectTimestampingFailureLogs(node, "does not verify under Timestamping:TrustedCaFile");
        var key = await node.CreateKeyAsync("submitter");
        var index = (await PreserveAsync(node, key, Bytes(100, seed: 35))).Entry.Index;

        await WaitUntilTimestampingNotServingAsync(node, "the other CA's tokens were accepted");

        await RpcAssert.FailsAsync(
            StatusCode.Unavailable,
            () => node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index }).ResponseAsync,
            "does not verify under Timestamping:TrustedCaFile");
        node.AssertNoErrors();
    }

    [Fact]
    public async Task ExternalTsa_RefusesConnections_TimestampingNotServingLedgerServingReceiptUnavailable()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}/tsa";
        using var ca = new TempCaFile();
        await using var node = await TestNode.StartAsync(
            null, "--Timestamping:Url", url, "--Timestamping:Interval", "00:00:00.2", "--Timestamping:Attempts", "1", "--Timestamping:TrustedCaFile", ca.Path);
        ExpectTimestampingFailureLogs(node, url);
        var key = await node.CreateKeyAsync("submitter");
        var index = (await PreserveAsync(node, key, Bytes(100, seed: 36))).Entry.Index;
        var health = new Health.HealthClient(node.Channel);

        await WaitUntilTimestampingNotServingAsync(node, "timestamping still serving");

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        await RpcAssert.FailsAsync(
            StatusCode.Unavailable,
            () => node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index }).ResponseAsync,
            $"Entry {index} is not yet covered by a timestamped checkpoint",
            "timestamping is failing",
            url);
        Assert.Contains(node.Logs.Records, r => r.EventId == 22 && r.Message.Contains(url, StringComparison.Ordinal));

        // The health protocol carries only the status; the reason is in the health check's report, which the node logs.
        Assert.Contains(node.Logs.Records, r => r.EventId == 103
            && r.Message.Contains("timestamping failing since", StringComparison.Ordinal)
            && r.Message.Contains($"{url}: Connection refused", StringComparison.Ordinal));
        node.AssertNoErrors();
    }

    /// <summary>
    /// A failing TSA is logged as an error twice: by the timestamper (22, with the reason) and by the health check
    /// service when it reports the timestamping check unhealthy (103).
    /// </summary>
    private static void ExpectTimestampingFailureLogs(TestNode node, string reason)
    {
        node.ExpectError(22, "EvidenceChain.Ledger.Timestamping.CheckpointTimestamper", reason);
        node.ExpectError(103, "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", "timestamping failing since");
    }

    private static async Task WaitUntilTimestampingNotServingAsync(TestNode node, string failure)
    {
        var health = new Health.HealthClient(node.Channel);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await health.CheckAsync(new HealthCheckRequest { Service = "timestamping" })).Status != HealthCheckResponse.Types.ServingStatus.NotServing)
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(100);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Content without a known length, so that HttpClient sends it chunked.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    /// <summary>A self-signed CA certificate in a temporary PEM file: a CA no test TSA chains to.</summary>
    private sealed class TempCaFile : IDisposable
    {
        public TempCaFile()
        {
            using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                "CN=unrelated test CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            Path = System.IO.Path.GetTempFileName();
            File.WriteAllText(Path, certificate.ExportCertificatePem() + "\n");
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
