using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EvidenceChain.Capture.Browser.Internal;
using EvidenceChain.Capture.Guard;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Capture.Browser;

/// <summary>
/// Renders pages in headless Chromium driven over the DevTools protocol: warm browsers from a pool, a fresh browser
/// context per render, a full-page PNG screenshot and the serialised DOM. For a capture (<see cref="IRecordingRenderer"/>)
/// every request of the page, its frames and workers is intercepted over DevTools and answered by the capture, which
/// fetches and records it (<see cref="Internal.Interception"/>). Whatever is not intercepted leaves through a guarded
/// proxy (the SSRF guard, pinned addresses), and the browser's own resolver is switched off, so a page's subresources
/// cannot reach guarded addresses. The browser is started quiet
/// (<see cref="QuietSwitches"/>: no updates, sync, safe browsing, autofill, metrics, translation, field trials or
/// crash reports); what it still asks for by itself (the sign-in cookie check of its default profile, which no switch
/// turns off) goes to a sink that answers 403 without resolving or connecting anything, and is noted in the record.
/// </summary>
/// <remarks>Thread-safe: each render has a browser of the pool to itself, and a browser context of its own.</remarks>
public sealed partial class ChromiumRenderer : IPageRenderer, IRecordingRenderer, IDisposable
{
    private const int ViewportHeight = 800;
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The command-line switches that keep the browser from talking to anyone but the page: background networking,
    /// component and extension updates, sync and sign-in, safe browsing, autofill and optimization-guide downloads,
    /// metrics, domain reliability, translation, media-router discovery, field trials, pings and crash upload.
    /// Recorded in the capture-environment record with the renderer's description.
    /// </summary>
    public static IReadOnlyList<string> QuietSwitches { get; } =
    [
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--disable-component-extensions-with-background-pages", "--disable-default-apps", "--no-first-run",
        "--no-default-browser-check", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
        "--safebrowsing-disable-auto-update", "--disable-breakpad", "--disable-crash-reporter", "--no-pings",
        "--metrics-recording-only", "--disable-field-trial-config", "--disable-search-engine-choice-screen",
        "--disable-features=AutofillServerCommunication,CertificateTransparencyComponentUpdater,DialMediaRouteProvider,"
            + "MediaRouter,NetworkTimeServiceQuerying,OptimizationGuideModelDownloading,OptimizationHints,"
            + "OptimizationHintsFetching,OptimizationTargetPrediction,Translate",
    ];
    private readonly string _executable;
    private readonly ILogger<ChromiumRenderer> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly Stack<BrowserProcess> _idle = new();
    private readonly Lock _gate = new();
    private int _started;
    private bool _disposed;

    /// <summary>
    /// Creates a renderer that starts <paramref name="executable"/> (e.g. <c>/usr/bin/chromium</c>), with a pool of
    /// <see cref="DefaultPoolSize"/> browsers each recycled after <see cref="DefaultRecycleAfter"/> pages.
    /// </summary>
    public ChromiumRenderer(string executable, ILogger<ChromiumRenderer> logger)
        : this(executable, logger, DefaultPoolSize, DefaultRecycleAfter)
    {
    }

    /// <summary>
    /// Creates a renderer that keeps up to <paramref name="poolSize"/> browsers running (started when first needed),
    /// renders one page at a time in each, and stops a browser after <paramref name="recycleAfter"/> pages.
    /// </summary>
    /// <exception cref="ArgumentException">A size is below 1; the message names the setting.</exception>
    public ChromiumRenderer(string executable, ILogger<ChromiumRenderer> logger, int poolSize, int recycleAfter)
    {
        ArgumentException.ThrowIfNullOrEmpty(executable);
        ArgumentNullException.ThrowIfNull(logger);
        if (poolSize < 1)
        {
            throw new ArgumentException("Capture:BrowserPoolSize must be at least 1.", nameof(poolSize));
        }

        if (recycleAfter < 1)
        {
            throw new ArgumentException("Capture:BrowserRecycleAfter must be at least 1.", nameof(recycleAfter));
        }

        _executable = executable;
        _logger = logger;
        PoolSize = poolSize;
        RecycleAfter = recycleAfter;
        _slots = new SemaphoreSlim(poolSize, poolSize);
    }

    /// <summary>The pool size when none is given (Capture:BrowserPoolSize's default): 2.</summary>
    public const int DefaultPoolSize = 2;

    /// <summary>Pages a browser renders before it is replaced, when none is given (Capture:BrowserRecycleAfter's default): 100.</summary>
    public const int DefaultRecycleAfter = 100;

    /// <summary>Browsers kept running at most; as many pages render at once, more wait for a browser.</summary>
    public int PoolSize { get; }

    /// <summary>Pages a browser renders before it is stopped and replaced by a fresh one.</summary>
    public int RecycleAfter { get; }

    /// <inheritdoc/>
    public string Description =>
        $"Chromium, headless, driven over the DevTools protocol ({_executable}); a fresh browser context per capture in a pool of "
        + $"{PoolSize} browser(s), each replaced after {RecycleAfter} captures or a crash; started quiet: {string.Join(' ', QuietSwitches)}";

    /// <summary>How long the browser stays open after the render, before it is stopped (tests watch for late requests).</summary>
    internal TimeSpan Linger { get; init; } = TimeSpan.Zero;

    /// <summary>How many browser processes this renderer has started.</summary>
    internal int BrowsersStarted => Volatile.Read(ref _started);

    /// <summary>The process IDs of the browsers waiting for a page (tests kill one to see the pool recover).</summary>
    internal IReadOnlyList<int> IdleProcessIds()
    {
        lock (_gate)
        {
            return [.. _idle.Select(b => b.ProcessId)];
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The page gets a browser context of its own (cookies, cache, storage, service workers and permissions live and
    /// die with it) in a browser of the pool, which starts one when none is free and fewer than
    /// <see cref="PoolSize"/> run. A browser that crashed, failed to close the page's context or reached
    /// <see cref="RecycleAfter"/> pages is stopped, and the next page gets a fresh one.
    /// </remarks>
    public Task<RenderOutcome> RenderAsync(
        Uri url, AddressGuard guard, IReadOnlyDictionary<string, IPAddress> pinned, CaptureOptions options, CancellationToken cancellationToken) =>
        RenderCoreAsync(url, guard, pinned, options, null, cancellationToken);

    /// <inheritdoc/>
    Task<RenderOutcome> IRecordingRenderer.RenderAsync(
        Uri url, AddressGuard guard, IReadOnlyDictionary<string, IPAddress> pinned, CaptureOptions options,
        Func<InterceptedRequest, CancellationToken, Task<InterceptedAnswer>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        return RenderCoreAsync(url, guard, pinned, options, fetch, cancellationToken);
    }

    private async Task<RenderOutcome> RenderCoreAsync(
        Uri url, AddressGuard guard, IReadOnlyDictionary<string, IPAddress> pinned, CaptureOptions options,
        Func<InterceptedRequest, CancellationToken, Task<InterceptedAnswer>>? fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(pinned);
        ArgumentNullException.ThrowIfNull(options);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken);
        BrowserProcess? browser = null;
        var reusable = false;
        try
        {
            browser = TakeIdle() ?? await StartBrowserAsync(options, cancellationToken);
            browser.Renders++;
            var ownBefore = browser.Sink.Requests.Count;
            var proxy = new GuardedProxy(guard, pinned);
            await using (proxy)
            {
                proxy.Start();
                var context = await CreateContextAsync(browser.Cdp, proxy.Port, cancellationToken);
                try
                {
                    var (screenshot, dom, domTruncated, video, notes) = await DriveAsync(browser.Cdp, context, url, options, fetch, cancellationToken);
                    notes.Insert(0, "browser: " + browser.Product);
                    var date = DateTimeOffset.UtcNow;
                    if (Linger > TimeSpan.Zero)
                    {
                        await Task.Delay(Linger, cancellationToken);
                    }

                    if (fetch is not null && proxy.Requests.Count > 0)
                    {
                        // Interception answers every request of the page; what still reached the proxy escaped it.
                        notes.Add(string.Create(CultureInfo.InvariantCulture,
                            $"{proxy.Requests.Count} request(s) escaped interception and went through the guarded proxy, unrecorded: {string.Join(", ", proxy.Requests.Distinct())}"));
                    }

                    var own = browser.Sink.Requests.Skip(ownBefore).ToList();
                    if (own.Count > 0)
                    {
                        notes.Add(string.Create(CultureInfo.InvariantCulture,
                            $"the browser tried {own.Count} request(s) of its own outside the page, refused without leaving the node: {string.Join(", ", own.Distinct())}"));
                    }

                    return new RenderOutcome(screenshot, dom, date, proxy.Blocked, notes)
                    {
                        DomTruncated = domTruncated, Video = video, ProxyRequests = proxy.Requests, OwnRequests = own,
                    };
                }
                finally
                {
                    browser.Cdp.Event = null;
                    reusable = await CloseContextAsync(browser.Cdp, context);
                }
            }
        }
        finally
        {
            if (browser is not null)
            {
                await ReleaseAsync(browser, reusable);
            }

            _slots.Release();
        }
    }

    /// <summary>Stops every browser of the pool. Renders still running fail.</summary>
    public void Dispose()
    {
        List<BrowserProcess> idle;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var browser in idle)
        {
            browser.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private BrowserProcess? TakeIdle()
    {
        while (true)
        {
            BrowserProcess? browser;
            lock (_gate)
            {
                if (!_idle.TryPop(out browser))
                {
                    return null;
                }
            }

            if (browser.IsAlive)
            {
                return browser;
            }

            BrowserCrashed(_logger, browser.ProcessId);
            _ = browser.DisposeAsync().AsTask();
        }
    }

    private async Task<BrowserProcess> StartBrowserAsync(CaptureOptions options, CancellationToken ct)
    {
        var browser = await BrowserProcess.StartAsync((sink, profile) => Start(sink, profile, options), Stop, options.MaxDevToolsMessageBytes, ct);
        Interlocked.Increment(ref _started);
        return browser;
    }

    private async Task ReleaseAsync(BrowserProcess browser, bool reusable)
    {
        lock (_gate)
        {
            if (reusable && !_disposed && browser.Renders < RecycleAfter && browser.IsAlive)
            {
                _idle.Push(browser);
                return;
            }
        }

        await browser.DisposeAsync();
    }

    // The page's context: every connection (loopback too) goes through the guarded proxy.
    private static async Task<string> CreateContextAsync(CdpConnection cdp, int proxyPort, CancellationToken ct)
    {
        var context = await cdp.SendAsync("Target.createBrowserContext", new JsonObject
        {
            ["disposeOnDetach"] = true,
            ["proxyServer"] = "http://127.0.0.1:" + proxyPort.ToString(CultureInfo.InvariantCulture),
            ["proxyBypassList"] = "<-loopback>",
        }, null, ct);
        return context["browserContextId"]!.GetValue<string>();
    }

    // Disposes the page's context with everything it held. False when the browser could not do it: it is not reused.
    private static async Task<bool> CloseContextAsync(CdpConnection cdp, string context)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await cdp.SendAsync("Target.disposeBrowserContext", new JsonObject { ["browserContextId"] = context }, null, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is RenderException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<(byte[] Screenshot, byte[] Dom, bool DomTruncated, byte[]? Video, List<string> Notes)> DriveAsync(
        CdpConnection cdp, string context, Uri url, CaptureOptions options,
        Func<InterceptedRequest, CancellationToken, Task<InterceptedAnswer>>? fetch, CancellationToken ct)
    {
        var notes = new List<string>();
        var target = await cdp.SendAsync("Target.createTarget", new JsonObject
        {
            ["url"] = "about:blank", ["browserContextId"] = context,
        }, null, ct);
        var attached = await cdp.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, null, ct);
        var session = attached["sessionId"]!.GetValue<string>();
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var idleLoaders = new HashSet<string>(StringComparer.Ordinal);
        string? navigationLoader = null;
        var ffmpeg = SessionVideo.Resolve(options, out var videoSkipped);
        var video = ffmpeg is null ? null : new SessionVideo(ffmpeg, options.MaxVideoSeconds, options.MaxVideoBytes);
        await using var interception = fetch is null ? null : new Interception(cdp, session, fetch, ct);
        cdp.Event = (method, parameters, sessionId) =>
        {
            if (interception is not null && sessionId is not null && interception.Handles(method, parameters, sessionId))
            {
                return;
            }

            if (sessionId != session)
            {
                return;
            }

            if (method == "Page.screencastFrame")
            {
                video?.OnFrame(cdp, parameters, session);
            }
            else if (method == "Page.loadEventFired")
            {
                loaded.TrySetResult();
            }
            else if (method == "Page.lifecycleEvent" && parameters["name"]?.GetValue<string>() == "networkIdle"
                && parameters["loaderId"]?.GetValue<string>() is { } loader)
            {
                // Only the navigation's own document counts (about:blank before it, or a frame, goes idle too).
                lock (idleLoaders)
                {
                    idleLoaders.Add(loader);
                    if (loader == navigationLoader)
                    {
                        idle.TrySetResult();
                    }
                }
            }
        };
        // The page's set-up is sent at once, not one round trip after another: the browser runs a session's commands in
        // the order they come, and all are answered before the navigation is sent. With interception the node knows
        // every request of the page, and tells network idle itself; without it, Chromium's lifecycle events say it.
        var setUp = new List<Task>
        {
            interception is not null ? interception.StartAsync(ct) : cdp.SendAsync("Page.setLifecycleEventsEnabled", new JsonObject { ["enabled"] = true }, session, ct),
            cdp.SendAsync("Page.enable", null, session, ct),
            cdp.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
            {
                ["width"] = options.ViewportWidth, ["height"] = ViewportHeight, ["deviceScaleFactor"] = 1, ["mobile"] = false,
            }, session, ct),
        };
        if (video is not null)
        {
            setUp.Add(cdp.SendAsync("Page.startScreencast", new JsonObject
            {
                ["format"] = "jpeg", ["quality"] = 70, ["maxWidth"] = options.ViewportWidth, ["maxHeight"] = 800,
            }, session, ct));
        }

        await Task.WhenAll(setUp);

        var navigation = await cdp.SendAsync("Page.navigate", new JsonObject { ["url"] = url.AbsoluteUri }, session, ct);
        if (navigation["errorText"]?.GetValue<string>() is { Length: > 0 } error)
        {
            throw new RenderException($"the browser could not load {url.GetLeftPart(UriPartial.Path)}: {error}");
        }

        lock (idleLoaders)
        {
            navigationLoader = navigation["loaderId"]?.GetValue<string>();
            if (navigationLoader is null || idleLoaders.Contains(navigationLoader))
            {
                idle.TrySetResult();
            }
        }

        await loaded.Task.WaitAsync(ct);
        var settled = interception is not null
            ? await interception.WaitForIdleAsync(IdleWindow, SettleTime, ct)
            : await Task.WhenAny(idle.Task, Task.Delay(SettleTime, ct)) == idle.Task;
        if (!settled)
        {
            notes.Add("the page was still loading resources when it was captured (no network idle within 3 s of load)");
        }

        var metrics = await cdp.SendAsync("Page.getLayoutMetrics", null, session, ct);
        var size = metrics["cssContentSize"] as JsonObject ?? metrics["contentSize"] as JsonObject ?? [];
        var width = Math.Max(1, (int)Math.Ceiling(size["width"]?.GetValue<double>() ?? options.ViewportWidth));
        var height = Math.Max(1, (int)Math.Ceiling(size["height"]?.GetValue<double>() ?? ViewportHeight));
        if (height > options.MaxScreenshotHeight)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"the page is {height} CSS pixels tall; the screenshot stops at {options.MaxScreenshotHeight} (Capture:MaxScreenshotHeight)"));
            height = options.MaxScreenshotHeight;
        }

        if (width > options.MaxScreenshotWidth)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"the page is {width} CSS pixels wide; the screenshot stops at {options.MaxScreenshotWidth} (Capture:MaxScreenshotWidth)"));
            width = options.MaxScreenshotWidth;
        }

        // A page that fits the viewport is taken as it is on screen: capturing beyond the viewport resizes the view and
        // lays the page out again, the same pixels for more work. PNG stays lossless; optimizeForSpeed only compresses
        // less (a larger file, the same pixels).
        var shotParams = new JsonObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = height > ViewportHeight || width > options.ViewportWidth,
            ["optimizeForSpeed"] = true,
            ["clip"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = width, ["height"] = height, ["scale"] = 1 },
        };
        var shot = await cdp.SendAsync("Page.captureScreenshot", shotParams, session, ct);
        var screenshot = Convert.FromBase64String(shot["data"]!.GetValue<string>());
        var (dom, truncated, note) = await DomAsync(cdp, session, options.MaxDomBytes, ct);
        if (note is not null)
        {
            notes.Add(note);
        }

        byte[]? recorded = null;
        if (video is null)
        {
            notes.Add(videoSkipped!);
        }
        else
        {
            // The screenshot and DOM are taken: now the video scrolls the page from top to bottom, within its duration.
            await ScrollAsync(cdp, session, options.MaxVideoSeconds - video.Elapsed, ct);
            await cdp.SendAsync("Page.stopScreencast", null, session, ct);
            (recorded, var videoNote) = await video.EncodeAsync(ct);
            notes.Add(videoNote);
        }

        return (screenshot, dom, truncated, recorded, notes);
    }

    // Scrolls down half a screen at a time, 150 ms apart, to the bottom or until the time left is used; then waits for
    // the last frame.
    private static async Task ScrollAsync(CdpConnection cdp, string session, double secondsLeft, CancellationToken ct)
    {
        var steps = (int)Math.Floor((secondsLeft - 0.5) / 0.15);
        if (steps <= 0)
        {
            return;
        }

        var expression = string.Create(CultureInfo.InvariantCulture, $$"""
            (async () => {
              const page = document.scrollingElement || document.documentElement;
              const step = Math.max(200, Math.floor(innerHeight / 2));
              for (let i = 0; i < {{steps}} && page.scrollTop + innerHeight < page.scrollHeight; i++) {
                window.scrollBy(0, step);
                await new Promise(r => setTimeout(r, 150));
              }
              await new Promise(r => setTimeout(r, 300));
              return page.scrollTop;
            })()
            """);
        await cdp.SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true }, session, ct);
    }

    // The serialised DOM, at most maxBytes of UTF-8: the browser sends only the start of a larger one, with its length.
    private static async Task<(byte[] Dom, bool Truncated, string? Note)> DomAsync(CdpConnection cdp, string session, int maxBytes, CancellationToken ct)
    {
        var expression = string.Create(CultureInfo.InvariantCulture, $$"""
            (() => {
              const html = (document.doctype ? new XMLSerializer().serializeToString(document.doctype) + '\n' : '') + document.documentElement.outerHTML;
              return { length: html.length, text: html.length > {{maxBytes}} ? html.slice(0, {{maxBytes}}) : html };
            })()
            """);
        var dom = await cdp.SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, session, ct);
        var value = (dom["result"] as JsonObject)?["value"] as JsonObject;
        var html = value?["text"]?.GetValue<string>() ?? throw new RenderException("the browser returned no DOM");
        var length = value["length"]?.GetValue<double>() ?? html.Length;
        var bytes = Encoding.UTF8.GetBytes(html);
        if (length <= html.Length && bytes.Length <= maxBytes)
        {
            return (bytes, false, null);
        }

        var cut = Math.Min(bytes.Length, maxBytes);
        while (cut > 0 && cut < bytes.Length && (bytes[cut] & 0xC0) == 0x80)
        {
            cut--; // never end inside a UTF-8 sequence
        }

        return (bytes[..cut], true, string.Create(CultureInfo.InvariantCulture,
            $"the rendered DOM is {length} characters long; it is cut after {cut} bytes of UTF-8 (Capture:MaxDomBytes)"));
    }

    private Process Start(int sinkPort, string profile, CaptureOptions options)
    {
        var start = new ProcessStartInfo(_executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        string[] args =
        [
            "--headless=new", "--disable-gpu", "--hide-scrollbars", "--mute-audio", "--password-store=basic", .. QuietSwitches,
            "--remote-debugging-port=0", "--remote-allow-origins=*", $"--user-data-dir={profile}",
            // The default context, which holds no page, can only reach the sink; the page's context gets the guarded
            // proxy (DriveAsync). The browser resolves no names itself.
            $"--proxy-server=http://127.0.0.1:{sinkPort.ToString(CultureInfo.InvariantCulture)}", "--proxy-bypass-list=<-loopback>",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp", "--webrtc-ip-handling-policy=disable_non_proxied_udp",
            $"--user-agent={options.UserAgent}", $"--window-size={options.ViewportWidth.ToString(CultureInfo.InvariantCulture)},800",
            "about:blank",
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (Environment.UserName == "root")
        {
            start.ArgumentList.Add("--no-sandbox"); // Chromium's sandbox cannot run as root
        }

        try
        {
            return Process.Start(start) ?? throw new RenderException($"{_executable} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RenderException($"{_executable} could not be started: {e.Message}", e);
        }
    }

    private void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            BrowserStopFailed(_logger, process.Id, e.Message);
        }
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "Could not stop browser process {ProcessId}: {Message}")]
    private static partial void BrowserStopFailed(ILogger logger, int processId, string message);

    [LoggerMessage(EventId = 511, Level = LogLevel.Warning, Message = "Browser process {ProcessId} of the capture pool ended while idle; a fresh one takes its place")]
    private static partial void BrowserCrashed(ILogger logger, int processId);
}
