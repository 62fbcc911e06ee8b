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
/// Renders pages in headless Chromium driven over the DevTools protocol: a fresh browser and profile per render, a
/// full-page PNG screenshot and the serialised DOM. The page is loaded in a browser context of its own whose every
/// connection goes through a guarded proxy (the SSRF guard, pinned addresses), and the browser's own resolver is
/// switched off, so a page's subresources cannot reach guarded addresses. The browser is started quiet
/// (<see cref="QuietSwitches"/>: no updates, sync, safe browsing, autofill, metrics, translation, field trials or
/// crash reports); what it still asks for by itself (the sign-in cookie check of its default profile, which no switch
/// turns off) goes to a sink that answers 403 without resolving or connecting anything, and is noted in the record.
/// </summary>
/// <remarks>Thread-safe: each render has its own browser process.</remarks>
public sealed partial class ChromiumRenderer : IPageRenderer
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(3);

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

    /// <summary>Creates a renderer that starts <paramref name="executable"/> (e.g. <c>/usr/bin/chromium</c>).</summary>
    public ChromiumRenderer(string executable, ILogger<ChromiumRenderer> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(executable);
        ArgumentNullException.ThrowIfNull(logger);
        _executable = executable;
        _logger = logger;
    }

    /// <inheritdoc/>
    public string Description =>
        $"Chromium, headless, driven over the DevTools protocol ({_executable}); started quiet: {string.Join(' ', QuietSwitches)}";

    /// <summary>How long the browser stays open after the render, before it is stopped (tests watch for late requests).</summary>
    internal TimeSpan Linger { get; init; } = TimeSpan.Zero;

    /// <inheritdoc/>
    public async Task<RenderOutcome> RenderAsync(
        Uri url, AddressGuard guard, IReadOnlyDictionary<string, IPAddress> pinned, CaptureOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(pinned);
        ArgumentNullException.ThrowIfNull(options);
        var profile = Directory.CreateTempSubdirectory("evidencechain-chromium-");
        var proxy = new GuardedProxy(guard, pinned);
        var sink = new SinkProxy();
        await using (proxy)
        await using (sink)
        {
            proxy.Start();
            sink.Start();
            using var process = Start(sink.Port, profile.FullName, options);
            try
            {
                var endpoint = await DevToolsEndpointAsync(process, cancellationToken);
                var cdp = new CdpConnection(options.MaxDevToolsMessageBytes);
                await using (cdp)
                {
                    await cdp.ConnectAsync(endpoint, cancellationToken);
                    var (screenshot, dom, domTruncated, notes) = await DriveAsync(cdp, url, proxy.Port, options, cancellationToken);
                    var date = DateTimeOffset.UtcNow;
                    if (Linger > TimeSpan.Zero)
                    {
                        await Task.Delay(Linger, cancellationToken);
                    }

                    if (sink.Requests is { Count: > 0 } own)
                    {
                        notes.Add(string.Create(CultureInfo.InvariantCulture,
                            $"the browser tried {own.Count} request(s) of its own outside the page, refused without leaving the node: {string.Join(", ", own.Distinct())}"));
                    }

                    return new RenderOutcome(screenshot, dom, date, proxy.Blocked, notes)
                    {
                        DomTruncated = domTruncated, ProxyRequests = proxy.Requests, OwnRequests = sink.Requests,
                    };
                }
            }
            finally
            {
                Stop(process);
                try
                {
                    profile.Delete(recursive: true);
                }
                catch (IOException)
                {
                    // a file still held by a dying child process; the temp folder is cleaned eventually
                }
            }
        }
    }

    private static async Task<(byte[] Screenshot, byte[] Dom, bool DomTruncated, List<string> Notes)> DriveAsync(
        CdpConnection cdp, Uri url, int proxyPort, CaptureOptions options, CancellationToken ct)
    {
        var notes = new List<string>();
        var version = await cdp.SendAsync("Browser.getVersion", null, null, ct);
        notes.Add("browser: " + version["product"]?.GetValue<string>());

        // The page gets a fresh context of its own whose every connection (loopback too) goes through the guarded proxy.
        var context = await cdp.SendAsync("Target.createBrowserContext", new JsonObject
        {
            ["disposeOnDetach"] = true,
            ["proxyServer"] = "http://127.0.0.1:" + proxyPort.ToString(CultureInfo.InvariantCulture),
            ["proxyBypassList"] = "<-loopback>",
        }, null, ct);
        var target = await cdp.SendAsync("Target.createTarget", new JsonObject
        {
            ["url"] = "about:blank", ["browserContextId"] = context["browserContextId"]!.GetValue<string>(),
        }, null, ct);
        var attached = await cdp.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, null, ct);
        var session = attached["sessionId"]!.GetValue<string>();
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cdp.Event = (method, parameters, sessionId) =>
        {
            if (sessionId != session)
            {
                return;
            }

            if (method == "Page.loadEventFired")
            {
                loaded.TrySetResult();
            }
            else if (method == "Page.lifecycleEvent" && parameters["name"]?.GetValue<string>() == "networkIdle")
            {
                idle.TrySetResult();
            }
        };
        await cdp.SendAsync("Page.enable", null, session, ct);
        await cdp.SendAsync("Page.setLifecycleEventsEnabled", new JsonObject { ["enabled"] = true }, session, ct);
        await cdp.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = options.ViewportWidth, ["height"] = 800, ["deviceScaleFactor"] = 1, ["mobile"] = false,
        }, session, ct);
        var navigation = await cdp.SendAsync("Page.navigate", new JsonObject { ["url"] = url.AbsoluteUri }, session, ct);
        if (navigation["errorText"]?.GetValue<string>() is { Length: > 0 } error)
        {
            throw new RenderException($"the browser could not load {url.GetLeftPart(UriPartial.Path)}: {error}");
        }

        await loaded.Task.WaitAsync(ct);
        if (await Task.WhenAny(idle.Task, Task.Delay(SettleTime, ct)) != idle.Task)
        {
            notes.Add("the page was still loading resources when it was captured (no network idle within 3 s of load)");
        }

        var metrics = await cdp.SendAsync("Page.getLayoutMetrics", null, session, ct);
        var size = metrics["cssContentSize"] as JsonObject ?? metrics["contentSize"] as JsonObject ?? [];
        var width = Math.Max(1, (int)Math.Ceiling(size["width"]?.GetValue<double>() ?? options.ViewportWidth));
        var height = Math.Max(1, (int)Math.Ceiling(size["height"]?.GetValue<double>() ?? 800));
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

        var shot = await cdp.SendAsync("Page.captureScreenshot", new JsonObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = width, ["height"] = height, ["scale"] = 1 },
        }, session, ct);
        var screenshot = Convert.FromBase64String(shot["data"]!.GetValue<string>());
        var (dom, truncated, note) = await DomAsync(cdp, session, options.MaxDomBytes, ct);
        if (note is not null)
        {
            notes.Add(note);
        }

        return (screenshot, dom, truncated, notes);
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

    private static async Task<Uri> DevToolsEndpointAsync(Process process, CancellationToken ct)
    {
        _ = process.StandardOutput.ReadToEndAsync(ct);
        var seen = new StringBuilder();
        while (await process.StandardError.ReadLineAsync(ct) is { } line)
        {
            const string Marker = "DevTools listening on ";
            var at = line.IndexOf(Marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                _ = DrainAsync(process.StandardError);
                return new Uri(line[(at + Marker.Length)..].Trim());
            }

            if (seen.Length < 2000)
            {
                seen.Append(line).Append('\n');
            }
        }

        throw new RenderException($"the browser exited before opening its DevTools endpoint: {seen.ToString().Trim()}");
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync() is not null)
            {
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // the process is gone
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
}
