using System.Net;
using System.Text;
using EvidenceChain.Capture.Browser;
using EvidenceChain.Capture.Guard;
using EvidenceChain.Capture.Tests.Infrastructure;
using EvidenceChain.Capture.Warc;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Capture.Tests.Browser;

/// <summary>Rendering with Debian's chromium (skipped locally without it, always run in CI).</summary>
public sealed class ChromiumRendererTests : IClassFixture<FixtureSite>
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    private readonly FixtureSite _site;

    public ChromiumRendererTests(FixtureSite site) => _site = site;

    private static ChromiumRenderer Renderer(TimeSpan linger = default)
    {
        Assert.True(Tools.Chromium is not null, "chromium is not installed: .ci/run must install it (apt-get install chromium)");
        return new ChromiumRenderer(Tools.Chromium!, NullLogger<ChromiumRenderer>.Instance) { Linger = linger };
    }

    [ChromiumFact]
    public async Task CaptureAsync_WithBrowser_AddsScreenshotAndRenderedDomToTheWarcAndArtefacts()
    {
        using var capturer = Capturers.Create(o => o.Timeout = TimeSpan.FromSeconds(90), Renderer());

        using var result = await capturer.CaptureAsync(_site.Url("/page.html").AbsoluteUri, render: true, default);

        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Equal("rendered", result.Rendering);
        // The session video comes with ffmpeg (CI installs it; SessionVideoTests check it).
        Assert.Equal(["capture.warc", "payload", "screenshot.png", "dom.html", .. Tools.Ffmpeg is null ? Array.Empty<string>() : ["video.webm"]], result.Artefacts.Select(a => a.Name));
        var png = await File.ReadAllBytesAsync(result.Artefacts.Single(a => a.Name == "screenshot.png").Path);
        Assert.Equal(PngSignature, png[..8]);
        var dom = await File.ReadAllTextAsync(result.Artefacts.Single(a => a.Name == "dom.html").Path);
        Assert.Contains(FixtureSite.ScriptMarker, dom); // the script ran: this is the rendered DOM, not the served HTML
        Assert.DoesNotContain(FixtureSite.ScriptMarker, FixtureSite.PageHtml);
        var records = CaptureAssert.Consistent(result);
        var shot = records.Single(r => r.Get(WarcFields.ContentType) == "image/png");
        Assert.Equal(png, shot.Block.ToArray());
        Assert.StartsWith("urn:evidencechain:screenshot:", shot.TargetUri);
        Assert.Contains(FixtureSite.ScriptMarker, Encoding.UTF8.GetString(records.Single(r => r.TargetUri?.StartsWith("urn:evidencechain:dom:", StringComparison.Ordinal) == true).Block.Span));
        var environment = CaptureAssert.Text(records.Single(r => r.Type == "metadata"));
        Assert.Contains("\"browser: ", environment);
        Assert.All(ChromiumRenderer.QuietSwitches, s => Assert.Contains(s, environment)); // how the browser was kept quiet
    }

    [ChromiumFact]
    public async Task RenderAsync_FixturePageWithTheBrowserKeptOpenAfterwards_TheOnlyRequestsAreThePagesOwn()
    {
        // The browser stays open for a while after the render, so requests of its own that come late are seen too.
        var renderer = Renderer(linger: TimeSpan.FromSeconds(8));
        var guard = new AddressGuard([AddressGuard.ParseNetwork("127.0.0.1/32")]);
        var page = _site.Url("/page.html");
        string[] own = [page.AbsoluteUri, _site.Url("/app.js").AbsoluteUri, _site.Url("/img.png").AbsoluteUri];
        var favicon = _site.Url("/favicon.ico").AbsoluteUri; // the browser may ask for the page's icon: the page's own origin
        _site.ClearRequests();

        var outcome = await renderer.RenderAsync(page, guard, new Dictionary<string, IPAddress>(), new CaptureOptions(), default);

        Assert.Contains(FixtureSite.ScriptMarker, Encoding.UTF8.GetString(outcome.Dom));
        Assert.Empty(outcome.Blocked);
        var seen = outcome.ProxyRequests.Select(r => r.Split(' ', 2)[1]).ToHashSet(StringComparer.Ordinal);
        Assert.All(outcome.ProxyRequests, r => Assert.StartsWith("GET http://127.0.0.1:", r)); // no CONNECT, no other host
        Assert.Equal([.. own.Order(StringComparer.Ordinal)], seen.Except([favicon]).Order(StringComparer.Ordinal));
        var reached = _site.Requests.Select(r => new Uri(_site.Http, r.Split(' ', 2)[1]).AbsoluteUri).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(seen, reached); // nothing reached the site but what went through the proxy

        // What the browser still asks for by itself went to the sink, which neither resolves nor connects: it is noted.
        Assert.Equal(outcome.OwnRequests.Count > 0, outcome.Notes.Any(n => n.StartsWith($"the browser tried {outcome.OwnRequests.Count} request(s) of its own", StringComparison.Ordinal)));
    }

    [ChromiumFact]
    public async Task RenderAsync_SubresourceAtGuardedAddress_IsBlockedByTheProxyAndListed()
    {
        using var capturer = Capturers.Create(o =>
        {
            o.Timeout = TimeSpan.FromSeconds(90);
            o.AllowedNetworks.Clear();
            o.AllowedNetworks.Add("127.0.0.1/32");
        }, Renderer());
        const string internalImage = "http://10.255.255.1/secret.png";
        var otherLoopback = $"http://127.0.0.2:{_site.Http.Port}/img.png";
        var url = _site.Url("/guarded-image.html?target=" + Uri.EscapeDataString(internalImage)).AbsoluteUri;
        var url2 = _site.Url("/guarded-image.html?target=" + Uri.EscapeDataString(otherLoopback)).AbsoluteUri;

        using var result = await capturer.CaptureAsync(url, render: true, default);
        using var result2 = await capturer.CaptureAsync(url2, render: true, default);

        Assert.Equal("rendered", result.Rendering);
        var metadata = CaptureAssert.Text(CaptureAssert.Consistent(result).Single(r => r.Type == "metadata"));
        Assert.Contains("http://10.255.255.1/secret.png: refused: 10.255.255.1 is a private address (RFC 1918)", metadata);
        var metadata2 = CaptureAssert.Text(CaptureAssert.Consistent(result2).Single(r => r.Type == "metadata"));
        Assert.Contains("refused: 127.0.0.2 is a loopback address", metadata2);
    }

    [ChromiumFact]
    public async Task RenderAsync_KeepAliveServerAndSecondOriginScripts_EachRequestReachesItsOwnOrigin()
    {
        await using var first = new KeepAliveSite(_site.Http);
        using var capturer = Capturers.Create(o => o.Timeout = TimeSpan.FromSeconds(90), Renderer());

        using var result = await capturer.CaptureAsync(first.Url.AbsoluteUri, render: true, default);

        Assert.Equal("rendered", result.Rendering);
        var dom = await File.ReadAllTextAsync(result.Artefacts.Single(a => a.Name == "dom.html").Path);
        Assert.DoesNotContain(KeepAliveSite.ForgedMarker, dom); // no second-origin request reached the first server
        Assert.Equal(2, dom.Split(FixtureSite.SecondOriginMarker).Length - 1);
        Assert.All(first.Requests, r => Assert.DoesNotContain(_site.Http.Authority, r, StringComparison.OrdinalIgnoreCase));
    }

    [ChromiumFact]
    public async Task CaptureAsync_HugeDomAndWideLayout_CutsTheDomAndTheScreenshotWidthAndSaysSo()
    {
        using var capturer = Capturers.Create(o => { o.Timeout = TimeSpan.FromSeconds(90); o.FfmpegPath = "none"; }, Renderer());

        using var result = await capturer.CaptureAsync(_site.Url("/huge-dom.html").AbsoluteUri, render: true, default);

        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Equal("rendered", result.Rendering);
        var defaults = new CaptureOptions();
        var dom = result.Artefacts.Single(a => a.Name == "dom.html");
        Assert.Equal(defaults.MaxDomBytes, dom.Digests.Size); // 40 million characters, cut at 16 MiB
        var png = await File.ReadAllBytesAsync(result.Artefacts.Single(a => a.Name == "screenshot.png").Path);
        Assert.Equal(defaults.MaxScreenshotWidth, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4))); // IHDR width
        var records = CaptureAssert.Consistent(result);
        Assert.Equal("length", records.Single(r => r.TargetUri?.StartsWith("urn:evidencechain:dom:", StringComparison.Ordinal) == true).Get(WarcFields.Truncated));
        var metadata = CaptureAssert.Text(records.Single(r => r.Type == "metadata"));
        Assert.Contains("the rendered DOM is 400", metadata); // its true length, 40,000,0xx characters
        Assert.Contains("(Capture:MaxDomBytes)", metadata);
        Assert.Contains("CSS pixels wide; the screenshot stops at 4096 (Capture:MaxScreenshotWidth)", metadata);
    }

    [ChromiumFact]
    public async Task CaptureAsync_DevToolsMessageOverTheLimit_FailsTheRenderingAndKeepsTheNetworkCapture()
    {
        using var capturer = Capturers.Create(o =>
        {
            o.Timeout = TimeSpan.FromSeconds(90);
            o.MaxDevToolsMessageBytes = 1 << 20;
            o.MaxDomBytes = 8 << 20;
            o.FfmpegPath = "none"; // no session video: this test is about the DevTools limit
        }, Renderer());

        // 3 million characters: the DOM's message is over the 1 MiB limit, and the page renders in a moment even under
        // load (the 40-million-character page took over 90 s on a loaded machine and timed out instead).
        using var result = await capturer.CaptureAsync(_site.Url("/big-dom.html").AbsoluteUri, render: true, default);

        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Equal("failed: the browser sent a DevTools message larger than 1048576 bytes (Capture:MaxDevToolsMessageBytes)", result.Rendering);
        Assert.Equal(["capture.warc", "payload"], result.Artefacts.Select(a => a.Name));
        Assert.Contains("rendering failed", CaptureAssert.Text(CaptureAssert.Consistent(result).Single(r => r.Type == "metadata")).Replace("\"rendering\": \"failed", "rendering failed", StringComparison.Ordinal));
    }
}
