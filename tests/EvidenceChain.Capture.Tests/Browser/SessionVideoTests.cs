using System.Globalization;
using System.Text.Json;
using EvidenceChain.Capture.Browser;
using EvidenceChain.Capture.Tests.Infrastructure;
using EvidenceChain.Capture.Warc;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Capture.Tests.Browser;

/// <summary>The session video of a rendered capture: WebM made by Debian's ffmpeg, read back with ffprobe.</summary>
public sealed class SessionVideoTests : IClassFixture<FixtureSite>
{
    private readonly FixtureSite _site;

    public SessionVideoTests(FixtureSite site) => _site = site;

    [FfmpegFact]
    public async Task CaptureAsync_WithFfmpeg_RecordsAWebmVideoAsArtefactAndWarcResource()
    {
        using var capturer = Capturers.Create(o => { o.Timeout = TimeSpan.FromSeconds(90); o.MaxVideoSeconds = 4; }, Renderer());

        using var result = await capturer.CaptureAsync(_site.Url("/page.html").AbsoluteUri, render: true, default);

        Assert.Equal("rendered", result.Rendering);
        var video = result.Artefacts.Single(a => a.Name == "video.webm");
        Assert.Equal("video/webm", video.MediaType);
        var bytes = await File.ReadAllBytesAsync(video.Path);
        Assert.Equal([0x1A, 0x45, 0xDF, 0xA3], bytes[..4]); // EBML, the Matroska/WebM signature

        // ffprobe reads it as WebM with one VP8 stream lasting no longer than the cap.
        var (exit, output) = await Tools.RunAsync(Tools.Ffprobe!, Path.GetTempPath(),
            "-v", "error", "-print_format", "json", "-show_format", "-show_streams", video.Path);
        Assert.True(exit == 0, output);
        using var probe = JsonDocument.Parse(output);
        Assert.Contains("webm", probe.RootElement.GetProperty("format").GetProperty("format_name").GetString());
        var stream = Assert.Single(probe.RootElement.GetProperty("streams").EnumerateArray());
        Assert.Equal("vp8", stream.GetProperty("codec_name").GetString());
        var duration = double.Parse(probe.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(duration, 0.05, 4.5);

        // The WARC holds the same bytes as a resource, and the record says how it was made.
        var records = CaptureAssert.Consistent(result);
        var resource = records.Single(r => r.TargetUri?.StartsWith("urn:evidencechain:video:", StringComparison.Ordinal) == true);
        Assert.Equal("video/webm", resource.Get(WarcFields.ContentType));
        Assert.Equal(bytes, resource.Block.ToArray());
        Assert.Contains("video: ", CaptureAssert.Text(records.Single(r => r.Type == "metadata")));
    }

    [ChromiumFact]
    public async Task CaptureAsync_NoFfmpeg_SaysTheVideoWasSkippedAndKeepsTheRest()
    {
        using var capturer = Capturers.Create(o => { o.Timeout = TimeSpan.FromSeconds(90); o.FfmpegPath = "/nonexistent/ffmpeg"; }, Renderer());

        using var result = await capturer.CaptureAsync(_site.Url("/page.html").AbsoluteUri, render: true, default);

        Assert.Equal("rendered", result.Rendering);
        Assert.Equal(["capture.warc", "payload", "screenshot.png", "dom.html"], result.Artefacts.Select(a => a.Name));
        var metadata = CaptureAssert.Text(CaptureAssert.Consistent(result).Single(r => r.Type == "metadata"));
        Assert.Contains("video skipped: no ffmpeg at /nonexistent/ffmpeg (Capture:FfmpegPath)", metadata);
    }

    [FfmpegFact]
    public async Task CaptureAsync_VideoOverTheSizeLimit_IsDroppedAndTheRecordSaysSo()
    {
        using var capturer = Capturers.Create(o => { o.Timeout = TimeSpan.FromSeconds(90); o.MaxVideoBytes = 64; }, Renderer());

        using var result = await capturer.CaptureAsync(_site.Url("/page.html").AbsoluteUri, render: true, default);

        Assert.Equal("rendered", result.Rendering);
        Assert.DoesNotContain(result.Artefacts, a => a.Name == "video.webm");
        var metadata = CaptureAssert.Text(CaptureAssert.Consistent(result).Single(r => r.Type == "metadata"));
        Assert.Contains("video skipped: larger than 64 bytes (Capture:MaxVideoBytes)", metadata);
    }

    private static ChromiumRenderer Renderer()
    {
        Assert.True(Tools.Chromium is not null, "chromium is not installed: .ci/run must install it (apt-get install chromium)");
        return new ChromiumRenderer(Tools.Chromium!, NullLogger<ChromiumRenderer>.Instance, 1, 100);
    }
}
