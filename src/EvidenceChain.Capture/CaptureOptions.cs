namespace EvidenceChain.Capture;

/// <summary>Limits and choices for <see cref="PageCapturer"/>. Bound from the node's <c>Capture</c> configuration section.</summary>
public sealed class CaptureOptions
{
    /// <summary>The setting that allow-lists networks, as named in refusals.</summary>
    internal const string AllowedNetworksSetting = "Capture:AllowedNetworks";

    /// <summary>
    /// Networks the SSRF guard lets through although they are not public (CIDR such as <c>10.1.0.0/16</c>, or single
    /// addresses). Default empty: only public addresses are captured.
    /// </summary>
    public IList<string> AllowedNetworks { get; } = [];

    /// <summary>Redirects followed before the capture fails. Default 10.</summary>
    public int MaxRedirects { get; set; } = 10;

    /// <summary>Largest response accepted, headers and body as on the wire, per hop, in bytes. Default 32 MiB.</summary>
    public long MaxResponseBytes { get; set; } = 32L << 20;

    /// <summary>
    /// Largest body of a redirect (3xx with a Location) recorded, in bytes; a longer one is cut there, marked
    /// <c>WARC-Truncated: length</c>, and the redirect is followed. Default 64 KiB.
    /// </summary>
    public long MaxRedirectBodyBytes { get; set; } = 64 << 10;

    /// <summary>
    /// Requests of the rendered page the capture fetches and records for the browser (images, scripts, styles, fonts,
    /// XHR, frames; each URL once); those beyond fail in the browser and the record says so. Default 1,000.
    /// </summary>
    public int MaxResources { get; set; } = 1000;

    /// <summary>
    /// Bytes of the rendered page's resources (responses as on the wire, all together) the capture fetches; once
    /// reached, further requests fail in the browser and the record says so. Default 256 MiB.
    /// </summary>
    public long MaxResourceBytes { get; set; } = 256L << 20;

    /// <summary>Time for the whole capture: every hop, and the browser's rendering. Default 60 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Captures running at once; one more is refused as busy. Default 4.</summary>
    public int MaxConcurrentCaptures { get; set; } = 4;

    /// <summary>
    /// The Chromium executable used to render pages. Default: <c>/usr/bin/chromium-headless-shell</c> when it exists
    /// (Debian's chromium-headless-shell, about four times cheaper per capture), else <c>/usr/bin/chromium</c> when it
    /// exists, else none. Set to <c>none</c> to never render.
    /// </summary>
    public string? BrowserPath { get; set; }

    /// <summary>
    /// Browsers kept running for rendering (warm: a capture does not wait for one to start); each renders one page at a
    /// time, in a browser context of its own. Default 2.
    /// </summary>
    public int BrowserPoolSize { get; set; } = 2;

    /// <summary>Pages a pooled browser renders before it is stopped and replaced by a fresh one. Default 100.</summary>
    public int BrowserRecycleAfter { get; set; } = 100;

    /// <summary>
    /// The ffmpeg executable that encodes the session video (WebM, VP8) of each rendered capture. Default:
    /// <c>/usr/bin/ffmpeg</c> when it exists (Debian's package), else none, and the capture says the video was
    /// skipped. Set to <c>none</c> to never make one.
    /// </summary>
    public string? FfmpegPath { get; set; }

    /// <summary>Longest session video, in seconds: the page loading, then scrolled from top to bottom. Default 10.</summary>
    public int MaxVideoSeconds { get; set; } = 10;

    /// <summary>Largest session video kept, in bytes; a larger one is dropped and the capture says so. Default 8 MiB.</summary>
    public int MaxVideoBytes { get; set; } = 8 << 20;

    /// <summary>The User-Agent header sent, by the HTTP exchange and by the browser. Default <c>EvidenceChain-Capture/1 (+evidence capture)</c>.</summary>
    public string UserAgent { get; set; } = "EvidenceChain-Capture/1 (+evidence capture)";

    /// <summary>Browser viewport width in CSS pixels; the screenshot is the full page at this width. Default 1280.</summary>
    public int ViewportWidth { get; set; } = 1280;

    /// <summary>Tallest screenshot, in CSS pixels (longer pages are cut there, and the record says so). Default 16,384.</summary>
    public int MaxScreenshotHeight { get; set; } = 16384;

    /// <summary>Widest screenshot, in CSS pixels (wider pages are cut there, and the record says so). Default 4,096.</summary>
    public int MaxScreenshotWidth { get; set; } = 4096;

    /// <summary>
    /// Largest rendered DOM kept, in bytes of UTF-8; a larger DOM is cut there and the record gives its true length.
    /// Default 16 MiB.
    /// </summary>
    public int MaxDomBytes { get; set; } = 16 << 20;

    /// <summary>
    /// Largest message accepted from the browser over the DevTools protocol, in bytes; a larger one fails the rendering
    /// (the network capture is kept). Default 64 MiB.
    /// </summary>
    public int MaxDevToolsMessageBytes { get; set; } = 64 << 20;

    /// <summary>Record SM3 digests beside SHA-256 (the national-crypto profile). Default false.</summary>
    public bool Sm3 { get; set; }
}
