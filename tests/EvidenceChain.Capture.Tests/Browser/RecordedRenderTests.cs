using System.Text;
using System.Text.Json;
using EvidenceChain.Capture.Browser;
using EvidenceChain.Capture.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Capture.Tests.Browser;

/// <summary>
/// With a browser, the page is loaded once and everything the browser asked for is fetched by the capture, through the
/// guard, recorded, and handed to the browser from the recording (Debian's chromium; skipped locally without it).
/// </summary>
public sealed class RecordedRenderTests : IClassFixture<RecordedSite>
{
    private readonly RecordedSite _site;

    public RecordedRenderTests(RecordedSite site) => _site = site;

    [ChromiumFact]
    public async Task CaptureAsync_PageWithEveryKindOfResource_RecordsEachOnceAndRendersFromTheRecording()
    {
        using var renderer = new ChromiumRenderer(Tools.Chromium!, NullLogger<ChromiumRenderer>.Instance);
        using var capturer = Capturers.Create(o =>
        {
            o.Timeout = TimeSpan.FromSeconds(90);
            o.FfmpegPath = "none";
            o.AllowedNetworks.Clear();
            o.AllowedNetworks.Add("127.0.0.1/32"); // 127.0.0.2, where the page's secret image lives, is refused
        }, renderer);

        using var result = await capturer.CaptureAsync(_site.Page.AbsoluteUri, render: true, default);

        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Equal("rendered", result.Rendering);

        // One request reached the site for each resource, none for the refused image (nor anything else).
        // (The browser may ask for /favicon.ico too; the service-worker and late-request tests' pages share the site.)
        var hits = _site.Hits.Where(h => !h.Key.EndsWith("/favicon.ico", StringComparison.Ordinal) && !h.Key.Contains("/rec/sw", StringComparison.Ordinal)
            && !h.Key.Contains("/rec/late/", StringComparison.Ordinal)).ToList();
        Assert.Equal(_site.Resources.Order(StringComparer.Ordinal), hits.Select(h => h.Key).Order(StringComparer.Ordinal));
        Assert.All(hits, h => Assert.True(h.Value == 1, $"{h.Key} was requested {h.Value} times"));
        Assert.DoesNotContain(_site.Hits.Keys, k => k.StartsWith(_site.Refused.AbsoluteUri, StringComparison.Ordinal));

        // The rendered page is made of the first (and only) answers: each would say 2 (or red) had it been asked again.
        var dom = await File.ReadAllTextAsync(result.Artefacts.Single(a => a.Name == "dom.html").Path);
        Assert.Contains("https script 1", dom);
        Assert.True(dom.Contains("fetch 1", StringComparison.Ordinal), dom + "\n" + CaptureAssert.Text(CaptureAssert.Consistent(result).Single(r => r.Type == "metadata")));
        Assert.Contains("xhr 1", dom);
        Assert.Contains("style rgb(0, 128, 0)", dom);
        Assert.Contains("worker 1", dom); // a dedicated worker's own request, intercepted in the worker

        // Each resource is one request and one response record in the WARC, the redirect too.
        var records = CaptureAssert.Consistent(result);
        foreach (var url in _site.Resources)
        {
            Assert.Single(records, r => r.Type == "request" && r.TargetUri == url);
            Assert.Single(records, r => r.Type == "response" && r.TargetUri == url);
        }

        var moved = records.Single(r => r.Type == "response" && r.TargetUri == new Uri(_site.Http, "/rec/moved.png").AbsoluteUri);
        Assert.StartsWith("HTTP/1.1 302", Encoding.ASCII.GetString(moved.Block.Span));
        Assert.DoesNotContain(records, r => r.TargetUri == _site.RefusedImage);

        // The https host's TLS, as it sent it: one self-signed certificate.
        var tls = CaptureAssert.Text(records.Single(r => r.TargetUri == "urn:evidencechain:tls:" + new Uri(_site.Https, "/rec/app.js").AbsoluteUri));
        Assert.Contains("server-certificates: 1\n", tls);
        Assert.Equal(1, tls.Split("-----BEGIN CERTIFICATE-----").Length - 1);

        // The refusal is in the record, with its rule, and in the DNS record of that host.
        var metadata = CaptureAssert.Text(records.Single(r => r.Type == "metadata"));
        Assert.Contains($"{_site.RefusedImage}: refused: 127.0.0.2 is a loopback address", metadata);
        Assert.DoesNotContain("escaped interception", metadata);
        using var environment = JsonDocument.Parse(metadata);
        var resources = environment.RootElement.GetProperty("capture").GetProperty("resources").EnumerateArray().ToList();
        var types = resources.Select(r => r.GetProperty("resourceType").GetString()!).ToHashSet(StringComparer.Ordinal);
        Assert.True(types.IsSupersetOf(["Stylesheet", "Font", "Script", "Image", "XHR"]), "resource types recorded: " + string.Join(", ", types));

        await WarcioAssert.IndexesAsync(result.Warc.Path, _site.Resources);
    }

    [ChromiumFact]
    public async Task CaptureAsync_PageWithServiceWorker_RecordsTheWorkersScriptAndItsRequestsOnce()
    {
        using var renderer = new ChromiumRenderer(Tools.Chromium!, NullLogger<ChromiumRenderer>.Instance);
        using var capturer = Capturers.Create(o => { o.Timeout = TimeSpan.FromSeconds(90); o.FfmpegPath = "none"; }, renderer);

        using var result = await capturer.CaptureAsync(new Uri(_site.Http, "/rec/sw.html").AbsoluteUri, render: true, default);

        Assert.Equal("rendered", result.Rendering);
        var records = CaptureAssert.Consistent(result);
        var metadata = CaptureAssert.Text(records.Single(r => r.Type == "metadata"));
        var dom = await File.ReadAllTextAsync(result.Artefacts.Single(a => a.Name == "dom.html").Path);
        Assert.Contains("service worker 1", dom); // the page's fetch, answered through the service worker it installed
        Assert.DoesNotContain("escaped interception", metadata);
        foreach (var path in new[] { "/rec/sw.html", "/rec/sw.js", "/rec/sw-install.txt", "/rec/sw-data.txt" })
        {
            var url = new Uri(_site.Http, path).AbsoluteUri;
            Assert.Single(records, r => r.Type == "response" && r.TargetUri == url);
            Assert.Equal(1, _site.Hits[url]);
        }
    }

    [ChromiumFact]
    public async Task CaptureAsync_PageOpensAWebSocket_WhichEscapesInterception_GoesThroughTheGuardedProxyAndIsNoted()
    {
        using var renderer = new ChromiumRenderer(Tools.Chromium!, NullLogger<ChromiumRenderer>.Instance);
        using var capturer = Capturers.Create(o => { o.Timeout = TimeSpan.FromSeconds(90); o.FfmpegPath = "none"; }, renderer);

        using var result = await capturer.CaptureAsync(new Uri(_site.Http, "/rec/ws.html").AbsoluteUri, render: true, default);

        Assert.Equal("rendered", result.Rendering);
        var metadata = CaptureAssert.Text(CaptureAssert.Consistent(result).Single(r => r.Type == "metadata"));
        Assert.Contains($"request(s) escaped interception and went through the guarded proxy, unrecorded: CONNECT {_site.Http.Authority}", metadata);
    }

    [ChromiumFact]
    public async Task CaptureAsync_PageSetsCookiesThenFetchesAResourceThatNeedsThem_SendsAndRecordsTheCookieTheBrowserWould()
    {
        using var renderer = new ChromiumRenderer(Tools.Chromium!, NullLogger<ChromiumRenderer>.Instance);
        using var capturer = Capturers.Create(o => { o.Timeout = TimeSpan.FromSeconds(90); o.FfmpegPath = "none"; }, renderer);

        using var result = await capturer.CaptureAsync(new Uri(_site.Http, "/rec/cookie.html").AbsoluteUri, render: true, default);

        Assert.Equal("rendered", result.Rendering);
        var records = CaptureAssert.Consistent(result);
        var dom = await File.ReadAllTextAsync(result.Artefacts.Single(a => a.Name == "dom.html").Path);
        Assert.Contains("cookie ok", dom); // the site got all three cookies

        // The request record carries the Cookie field that was sent: the page response's (HttpOnly), the script's and the
        // resource response's cookie.
        var needs = new Uri(_site.Http, "/rec/needs-cookie.txt").AbsoluteUri;
        var request = CaptureAssert.Text(records.Single(r => r.Type == "request" && r.TargetUri == needs));
        var cookie = request.Split("\r\n").Single(l => l.StartsWith("Cookie:", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("session=s1", cookie);
        Assert.Contains("js=j1", cookie);
        Assert.Contains("later=l1", cookie);
        Assert.Equal(1, _site.Hits[needs]);

        // The page's own request went first, with no cookie: there was none yet.
        var page = CaptureAssert.Text(records.Single(r => r.Type == "request" && r.TargetUri == new Uri(_site.Http, "/rec/cookie.html").AbsoluteUri));
        Assert.DoesNotContain("Cookie:", page, StringComparison.OrdinalIgnoreCase);
    }

    [ChromiumFact]
    public async Task CaptureAsync_PageFetchesAfterLoad_WaitsUntilNoRequestIsWaitingAndNoneCameFor500Milliseconds()
    {
        using var renderer = new ChromiumRenderer(Tools.Chromium!, NullLogger<ChromiumRenderer>.Instance);
        using var capturer = Capturers.Create(o => { o.Timeout = TimeSpan.FromSeconds(90); o.FfmpegPath = "none"; }, renderer);

        using var result = await capturer.CaptureAsync(new Uri(_site.Http, "/rec/late/page.html").AbsoluteUri, render: true, default);

        // The request 300 ms after load, and the one answered 1.2 s after it was asked, are in the rendered page and the WARC.
        Assert.Equal("rendered", result.Rendering);
        var dom = await File.ReadAllTextAsync(result.Artefacts.Single(a => a.Name == "dom.html").Path);
        Assert.Contains("late 1 slow 1", dom);
        var records = CaptureAssert.Consistent(result);
        Assert.Single(records, r => r.Type == "response" && r.TargetUri == new Uri(_site.Http, "/rec/late/slow.txt").AbsoluteUri);
        Assert.DoesNotContain("still loading", CaptureAssert.Text(records.Single(r => r.Type == "metadata")));
    }
}
