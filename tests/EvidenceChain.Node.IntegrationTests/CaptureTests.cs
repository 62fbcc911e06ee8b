using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EvidenceChain.Api.V1;
using EvidenceChain.Capture.Tests.Infrastructure;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing.Node;
using Google.Protobuf;
using Grpc.Core;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// CaptureUrl end to end: a real node (loopback allow-listed, no browser) captures pages from the local fixture site
/// and preserves them as webpage entries.
/// </summary>
public sealed class CaptureTests(CaptureTests.CaptureNode fixture, FixtureSite site) : IClassFixture<CaptureTests.CaptureNode>, IClassFixture<FixtureSite>
{
    private readonly CaptureNode _fixture = fixture;
    private readonly FixtureSite _site = site;

    public sealed class CaptureNode : NodeFixture
    {
        protected override string[] Settings => ["--Capture:AllowedNetworks:0", "127.0.0.0/8", "--Capture:BrowserPath", "none", "--Capture:Timeout", "00:00:20"];
    }

    private TestNode Node => _fixture.Node;

    private CallOptions Submitter => TestNode.As(_fixture.SubmitterKey);

    private CaptureService.CaptureServiceClient Client => new(Node.Channel);

    [Fact]
    public async Task CaptureUrl_Page_PreservesAWebpageEntryWhoseArtefactsDownloadIntact()
    {
        var url = _site.Url("/redirect/0").AbsoluteUri;

        var response = await Client.CaptureUrlAsync(new CaptureUrlRequest { Url = url }, Submitter);

        Assert.Equal("complete", response.Status);
        Assert.Equal(200u, response.HttpStatus);
        Assert.Equal(_site.Url("/page.html").AbsoluteUri, response.FinalUrl);
        Assert.StartsWith("skipped: no browser", response.Rendering);
        var entry = response.Entry;
        Assert.Equal("webpage", entry.Kind);
        Assert.Equal(url, entry.Attributes["url"]);
        Assert.Equal(response.FinalUrl, entry.Attributes["final-url"]);
        Assert.Equal("200", entry.Attributes["http-status"]);
        Assert.Equal("complete", entry.Attributes["capture-status"]);
        Assert.Equal("1", entry.Attributes["redirects"]);
        Assert.Matches("^[0-9a-f]{64}$", entry.Attributes["environment-sha256"]);
        Assert.Equal(["capture.warc", "payload"], entry.Artefacts.Select(a => a.Name));
        Assert.Equal(entry, await Node.Evidence.GetEntryAsync(new GetEntryRequest { Index = entry.Index }));
        var warc = await DownloadAsync(entry.Index, "capture.warc");
        Assert.StartsWith("WARC/1.1\r\n", Encoding.ASCII.GetString(warc, 0, 10));
        Assert.Equal(entry.Artefacts[0].Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(warc)));
        Assert.Equal(FixtureSite.PageHtml, Encoding.UTF8.GetString(await DownloadAsync(entry.Index, "payload")));
        var found = await Node.Evidence.FindEntriesAsync(new FindEntriesRequest { Sha256 = entry.Artefacts[0].Sha256 });
        Assert.Equal(entry.Index, Assert.Single(found.Entries).Index);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task CaptureUrlJson_Post_CapturesLikeGrpc()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/captures")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { url = _site.Url("/gzip").AbsoluteUri, noBrowser = true }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _fixture.SubmitterKey);

        using var response = await Node.Http.SendAsync(request);

        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        var reply = JsonParser.Default.Parse<CaptureUrlResponse>(json);
        Assert.Equal("complete", reply.Status);
        Assert.Equal("skipped: not requested", reply.Rendering);
        Assert.Equal("webpage", reply.Entry.Kind);
    }

    [Fact]
    public async Task CaptureUrl_PrivateUrl_PublicEntryHoldsCommitments_TheSubmitterSeesTheUrl()
    {
        var url = _site.Url("/redirect/0?secret-claim=fan-site").AbsoluteUri;

        var response = await Client.CaptureUrlAsync(new CaptureUrlRequest { Url = url, PrivateUrl = true }, Submitter);

        Assert.Equal("complete", response.Status);
        var index = response.Entry.Index;
        var json = await Node.Http.GetStringAsync($"/v1/entries/{index}");
        var listed = await Node.Http.GetStringAsync($"/v1/entries?start={index}&limit=1");
        foreach (var text in new[] { json, listed })
        {
            Assert.DoesNotContain("secret-claim", text, StringComparison.Ordinal);
            Assert.DoesNotContain("/page.html", text, StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        }

        var anonymous = await Node.Evidence.GetEntryAsync(new GetEntryRequest { Index = index });
        Assert.Equal(["final-url", "remote-ip", "url"], anonymous.Commitments.Keys.Order(StringComparer.Ordinal));
        Assert.False(anonymous.Attributes.ContainsKey("url"));
        Assert.Empty(anonymous.Disclosed);
        Assert.Equal("200", anonymous.Attributes["http-status"]);

        var own = await Node.Evidence.GetEntryAsync(new GetEntryRequest { Index = index }, Submitter);
        Assert.Equal(url, own.Disclosed["url"]);
        Assert.Equal(_site.Url("/page.html").AbsoluteUri, own.Disclosed["final-url"]);
        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("http://10.0.0.5/", "refused: 10.0.0.5 is a private address (RFC 1918); allow it with Capture:AllowedNetworks")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "cloud instance-metadata")]
    [InlineData("http://[::ffff:192.168.1.1]/", "embeds 192.168.1.1")]
    [InlineData("ftp://example.org/", "scheme \"ftp\" is not http or https")]
    public async Task CaptureUrl_GuardedUrl_PermissionDeniedNamingTheRuleAndNothingRecorded(string url, string message)
    {
        var size = Node.Node.Ledger.Latest.Size;

        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Client.CaptureUrlAsync(new CaptureUrlRequest { Url = url }, Submitter).ResponseAsync, message);

        Assert.Equal(size, Node.Node.Ledger.Latest.Size);
    }

    [Fact]
    public async Task CaptureUrl_RedirectToGuardedAddress_IsRecordedAsAFailedCapture()
    {
        var url = _site.Url("/redirect-to?url=" + Uri.EscapeDataString("http://169.254.169.254/latest/meta-data/")).AbsoluteUri;

        var response = await Client.CaptureUrlAsync(new CaptureUrlRequest { Url = url }, Submitter);

        Assert.Equal("failed", response.Status);
        Assert.Equal("refused", response.FailureReason);
        Assert.Contains("169.254.169.254 is a cloud instance-metadata address", response.Failure);
        Assert.Equal("failed", response.Entry.Attributes["capture-status"]);
        Assert.Equal("refused", response.Entry.Attributes["failure-reason"]);
        Assert.Equal(["capture.warc"], response.Entry.Artefacts.Select(a => a.Name));
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task CaptureUrl_NoKeyOrWrongRole_IsRefused()
    {
        var caseManager = await Node.CreateKeyAsync("case-manager");

        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => Client.CaptureUrlAsync(new CaptureUrlRequest { Url = "http://127.0.0.1/" }).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Client.CaptureUrlAsync(new CaptureUrlRequest { Url = "http://127.0.0.1/" }, TestNode.As(caseManager)).ResponseAsync,
            "submitter or admin");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Client.CaptureUrlAsync(new CaptureUrlRequest(), Submitter).ResponseAsync, "url is empty");
    }

    private async Task<byte[]> DownloadAsync(ulong index, string name)
    {
        using var call = Node.Evidence.DownloadArtefact(new DownloadArtefactRequest { Index = index, Name = name }, Submitter);
        var content = new MemoryStream();
        while (await call.ResponseStream.MoveNext(default))
        {
            if (call.ResponseStream.Current.PartCase == DownloadArtefactResponse.PartOneofCase.Chunk)
            {
                call.ResponseStream.Current.Chunk.WriteTo(content);
            }
        }

        return content.ToArray();
    }
}
