using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EvidenceChain.Capture.Tests.Infrastructure;
using EvidenceChain.Capture.Warc;

namespace EvidenceChain.Capture.Tests;

public sealed partial class PageCapturerTests : IClassFixture<FixtureSite>
{
    private readonly FixtureSite _site;

    public PageCapturerTests(FixtureSite site) => _site = site;

    [Fact]
    public async Task CaptureAsync_Page_RecordsRequestResponseDnsAndEnvironment()
    {
        using var capturer = Capturers.Create();

        using var result = await capturer.CaptureAsync(_site.Url("/page.html").AbsoluteUri, render: false, default);

        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Equal(200, result.HttpStatus);
        Assert.Equal("127.0.0.1", result.RemoteAddress);
        Assert.Equal("skipped: not requested", result.Rendering);
        var records = CaptureAssert.Consistent(result);
        Assert.Equal(["warcinfo", "resource", "request", "response", "metadata"], records.Select(r => r.Type));
        var request = records.Single(r => r.Type == "request");
        var response = records.Single(r => r.Type == "response");
        Assert.StartsWith("GET /page.html HTTP/1.1\r\nHost: 127.0.0.1:", CaptureAssert.Text(request));
        Assert.Equal(response.RecordId, request.Get(WarcFields.ConcurrentTo));
        Assert.Equal(request.RecordId, response.Get(WarcFields.ConcurrentTo));
        Assert.Equal(_site.Url("/page.html").AbsoluteUri, response.TargetUri);
        Assert.Equal("127.0.0.1", response.Get(WarcFields.IpAddress));
        Assert.EndsWith(FixtureSite.PageHtml, CaptureAssert.Text(response));
        var dns = records.Single(r => r.TargetUri == "dns:127.0.0.1");
        Assert.Contains("used: 127.0.0.1", CaptureAssert.Text(dns));
        var payload = result.Artefacts.Single(a => a.Name == "payload");
        Assert.Equal("text/html", payload.MediaType);
        Assert.Equal(FixtureSite.PageHtml, await File.ReadAllTextAsync(payload.Path));
        using var environment = JsonDocument.Parse(records.Single(r => r.Type == "metadata").Block);
        var root = environment.RootElement;
        Assert.Equal("EvidenceChain.Capture", root.GetProperty("software").GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("operatingSystem").GetProperty("description").GetString()));
        Assert.StartsWith("none", root.GetProperty("proxy").GetString());
        Assert.Equal(capturer.Guard.AllowedNetworks.Count, root.GetProperty("parameters").GetProperty("allowedNetworks").GetArrayLength());
        Assert.Equal("complete", root.GetProperty("capture").GetProperty("status").GetString());
        Assert.True(root.GetProperty("capture").GetProperty("hops")[0].GetProperty("timingsMilliseconds").GetProperty("total").GetDouble() > 0);
        Assert.Equal(EvidenceChain.Core.Digests.ArtefactHasher.Compute(records.Single(r => r.Type == "metadata").Block.Span, false).Sha256, result.EnvironmentSha256);
    }

    [Fact]
    public async Task CaptureAsync_Hostname_RecordsEveryDnsAnswerAndTheOneUsed()
    {
        using var capturer = Capturers.Create();
        var url = $"http://localhost:{_site.Http.Port}/page.html";

        using var result = await capturer.CaptureAsync(url, render: false, default);

        Assert.True(result.IsComplete, result.Failure?.Message);
        var dns = CaptureAssert.Text(CaptureAssert.Consistent(result).Single(r => r.TargetUri == "dns:localhost"));
        Assert.Contains("resolver: system resolver", dns);
        Assert.Contains("answer: 127.0.0.1 allowed", dns);
        Assert.Contains("used: 127.0.0.1", dns);
        Assert.Equal("127.0.0.1", result.RemoteAddress);
    }

    [Fact]
    public async Task CaptureAsync_Redirects_RecordsEveryHopAndEndsAtTheFinalUrl()
    {
        using var capturer = Capturers.Create();

        using var result = await capturer.CaptureAsync(_site.Url("/redirect/2").AbsoluteUri, render: false, default);

        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Equal(3, result.Redirects);
        Assert.Equal(_site.Url("/page.html").AbsoluteUri, result.FinalUrl);
        var responses = CaptureAssert.Consistent(result).Where(r => r.Type == "response").ToList();
        Assert.Equal(["/redirect/2", "/redirect/1", "/redirect/0", "/page.html"], responses.Select(r => new Uri(r.TargetUri!).AbsolutePath));
        Assert.All(responses.Take(3), r => Assert.StartsWith("HTTP/1.1 302", CaptureAssert.Text(r)));
    }

    [Fact]
    public async Task CaptureAsync_RedirectsWithLargeBodies_CutsEachRedirectBodyAndMarksItTruncated()
    {
        using var capturer = Capturers.Create(o => o.MaxResponseBytes = 1 << 20);
        var limit = new CaptureOptions().MaxRedirectBodyBytes;

        using var result = await capturer.CaptureAsync(_site.Url("/big-redirect/3").AbsoluteUri, render: false, default);

        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Equal(4, result.Redirects);
        var responses = CaptureAssert.Consistent(result).Where(r => r.Type == "response").ToList();
        Assert.Equal(5, responses.Count);
        foreach (var redirect in responses.Take(4))
        {
            Assert.Equal("length", redirect.Get(WarcFields.Truncated));
            var text = CaptureAssert.Text(redirect);
            Assert.StartsWith("HTTP/1.1 302", text);
            Assert.Equal(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4 + limit, redirect.Block.Length); // head + 64 KiB, not 512 KiB
        }

        Assert.Null(responses[^1].Get(WarcFields.Truncated));
        Assert.EndsWith(FixtureSite.PageHtml, CaptureAssert.Text(responses[^1]));
        Assert.True(new FileInfo(result.Warc.Path).Length < FixtureSite.BigRedirectBodyBytes, "the WARC holds every hop's full body");
    }

    [Fact]
    public async Task CaptureAsync_TooManyRedirects_FailsNamingTheLimitAndKeepsTheHops()
    {
        using var capturer = Capturers.Create(o => o.MaxRedirects = 1);

        using var result = await capturer.CaptureAsync(_site.Url("/redirect/3").AbsoluteUri, render: false, default);

        Assert.Equal(CaptureFailureReason.TooManyRedirects, result.Failure?.Reason);
        Assert.Contains("Capture:MaxRedirects", result.Failure!.Message);
        Assert.Equal(2, CaptureAssert.Consistent(result).Count(r => r.Type == "response"));
        Assert.Equal(["capture.warc"], result.Artefacts.Select(a => a.Name));
    }

    [Fact]
    public async Task CaptureAsync_Gzip_KeepsTheContentEncodingInPayloadAndRecord()
    {
        using var capturer = Capturers.Create();

        using var result = await capturer.CaptureAsync(_site.Url("/gzip").AbsoluteUri, render: false, default);

        Assert.True(result.IsComplete, result.Failure?.Message);
        var response = CaptureAssert.Consistent(result).Single(r => r.Type == "response");
        Assert.Contains("Content-Encoding: gzip", CaptureAssert.Text(response), StringComparison.OrdinalIgnoreCase);
        var payload = await File.ReadAllBytesAsync(result.Artefacts.Single(a => a.Name == "payload").Path);
        Assert.Equal([0x1f, 0x8b], payload[..2]);
        await using var gunzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
        Assert.Equal(FixtureSite.PageHtml, await new StreamReader(gunzip).ReadToEndAsync());
        Assert.Equal(WarcDigests.Format(payload), response.Get(WarcFields.PayloadDigest));
    }

    [Fact]
    public async Task CaptureAsync_Chunked_RecordKeepsTheWireBytesAndPayloadIsDechunked()
    {
        using var capturer = Capturers.Create();

        using var result = await capturer.CaptureAsync(_site.Url("/chunked").AbsoluteUri, render: false, default);

        Assert.True(result.IsComplete, result.Failure?.Message);
        var response = CaptureAssert.Consistent(result).Single(r => r.Type == "response");
        var raw = CaptureAssert.Text(response);
        Assert.Contains("Transfer-Encoding: chunked", raw, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("0\r\n\r\n", raw);
        const string expected = "first part\nsecond part\nthird part\n";
        Assert.Equal(expected, await File.ReadAllTextAsync(result.Artefacts.Single(a => a.Name == "payload").Path));
        Assert.Equal(WarcDigests.Format(Encoding.ASCII.GetBytes(expected)), response.Get(WarcFields.PayloadDigest));
    }

    [Fact]
    public async Task CaptureAsync_SelfSignedHttps_IsCapturedWithTheFailedValidationRecorded()
    {
        using var capturer = Capturers.Create();

        using var result = await capturer.CaptureAsync(new Uri(_site.Https, "/page.html").AbsoluteUri, render: false, default);

        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Equal(200, result.HttpStatus);
        var records = CaptureAssert.Consistent(result);
        var tls = CaptureAssert.Text(records.Single(r => r.TargetUri?.StartsWith("urn:evidencechain:tls:", StringComparison.Ordinal) == true));
        Assert.Contains("chain-validated: false", tls);
        Assert.Contains("RemoteCertificateChainErrors", tls);
        Assert.Matches("protocol: Tls1[23]", tls);
        Assert.Contains("cipher-suite: TLS_", tls);
        Assert.Contains(_site.Certificate.ExportCertificatePem(), tls.Replace("\r\n", "\n"));

        // The fixture sends its one self-signed certificate: it is listed once and counted once.
        Assert.Contains("server-certificates: 1\n", tls);
        Assert.Single(Regex.Matches(tls, "BEGIN CERTIFICATE"));
        Assert.Equal(records.Single(r => r.Type == "response").RecordId,
            records.Single(r => r.TargetUri?.StartsWith("urn:evidencechain:tls:", StringComparison.Ordinal) == true).Get(WarcFields.ConcurrentTo));
        Assert.EndsWith(FixtureSite.PageHtml, CaptureAssert.Text(records.Single(r => r.Type == "response")));
    }
}
