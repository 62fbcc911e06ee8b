using System.Net;
using System.Net.Sockets;
using EvidenceChain.Capture.Browser;
using EvidenceChain.Capture.Guard;
using EvidenceChain.Capture.Internal;
using EvidenceChain.Core.Text;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Capture;

/// <summary>
/// Captures a web page as evidence: resolves the host and checks every answer with the SSRF guard, connects to the
/// pinned address itself, records the HTTP exchange raw (with TLS and DNS details), follows redirects re-checking
/// each, and optionally renders the page in a guarded browser that loads it once, every request it makes fetched,
/// guarded and recorded here (<see cref="RecordingFetcher"/>) and answered from the recording;
/// <see cref="CapturePackager"/> then writes one WARC/1.1
/// file and the artefacts, every artefact hashed as it is written. Failures after the first connection attempt are explicit failed results that still carry the WARC of
/// what happened; a URL refused up front throws <see cref="CaptureRefusedException"/> and records nothing.
/// </summary>
/// <remarks>Thread-safe; at most <see cref="CaptureOptions.MaxConcurrentCaptures"/> captures run at once.</remarks>
public sealed class PageCapturer : IDisposable
{
    private static readonly int[] RedirectStatuses = [301, 302, 303, 307, 308];
    private readonly CaptureOptions _options;
    private readonly IPageRenderer? _renderer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<CancellationToken, Task<DateTimeOffset?>>? _trustedTime;
    private readonly SemaphoreSlim _slots;
    private readonly CapturePackager _packager;

    /// <summary>Creates a capturer.</summary>
    /// <param name="options">Limits and the allow-list; read once, here.</param>
    /// <param name="renderer">The browser, or null to never render; the capturer disposes it.</param>
    /// <param name="time">The node's clock.</param>
    /// <param name="logger">Where capture events go.</param>
    /// <param name="trustedTime">Asks the TSA for the current time, for the environment record; null when there is none.</param>
    /// <param name="workFolder">Where working folders are made; default the system's temporary folder.</param>
    /// <exception cref="ArgumentException">An allow-list entry or a limit is invalid; the message names it.</exception>
    public PageCapturer(
        CaptureOptions options, IPageRenderer? renderer, TimeProvider time, ILogger<PageCapturer> logger,
        Func<CancellationToken, Task<DateTimeOffset?>>? trustedTime = null, string? workFolder = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        CheckLimit(options.MaxRedirects >= 0, "Capture:MaxRedirects", "at least 0");
        CheckLimit(options.MaxResponseBytes > 0, "Capture:MaxResponseBytes", "at least 1");
        CheckLimit(options.MaxRedirectBodyBytes >= 0, "Capture:MaxRedirectBodyBytes", "at least 0");
        CheckLimit(options.MaxResources > 0, "Capture:MaxResources", "at least 1");
        CheckLimit(options.MaxResourceBytes > 0, "Capture:MaxResourceBytes", "at least 1");
        CheckLimit(options.Timeout > TimeSpan.Zero, "Capture:Timeout", "positive");
        CheckLimit(options.MaxConcurrentCaptures > 0, "Capture:MaxConcurrentCaptures", "at least 1");
        CheckLimit(options.ViewportWidth > 0, "Capture:ViewportWidth", "at least 1");
        CheckLimit(options.MaxScreenshotHeight > 0, "Capture:MaxScreenshotHeight", "at least 1");
        CheckLimit(options.MaxScreenshotWidth > 0, "Capture:MaxScreenshotWidth", "at least 1");
        CheckLimit(options.MaxDomBytes > 0, "Capture:MaxDomBytes", "at least 1");
        CheckLimit(options.MaxVideoSeconds is >= 1 and <= 120, "Capture:MaxVideoSeconds", "between 1 and 120");
        CheckLimit(options.MaxVideoBytes > 0, "Capture:MaxVideoBytes", "at least 1");
        CheckLimit(options.MaxDevToolsMessageBytes >= 1 << 20, "Capture:MaxDevToolsMessageBytes", "at least 1048576 (1 MiB)");
        CheckLimit(options.UserAgent.Length > 0 && options.UserAgent.All(c => c is >= ' ' and <= '~'), "Capture:UserAgent", "non-empty printable ASCII");
        _options = options;
        _renderer = renderer;
        _time = time;
        _logger = logger;
        _trustedTime = trustedTime;
        _packager = new CapturePackager(options, renderer?.Description ?? "none", workFolder ?? Path.GetTempPath(), logger);
        _slots = new SemaphoreSlim(options.MaxConcurrentCaptures, options.MaxConcurrentCaptures);
        Guard = new AddressGuard(options.AllowedNetworks.Select(AddressGuard.ParseNetwork));
    }

    /// <summary>The SSRF guard in force.</summary>
    public AddressGuard Guard { get; }

    /// <summary>True when a browser is configured.</summary>
    internal bool CanRender => _renderer is not null;

    /// <summary>
    /// Captures <paramref name="url"/>. The result is complete or failed with the reason; dispose it once its
    /// artefacts are preserved.
    /// </summary>
    /// <param name="url">An absolute http or https URL without credentials.</param>
    /// <param name="render">Render in the browser too (when one is configured).</param>
    /// <param name="cancellationToken">Cancels the capture (the caller went away): nothing is returned.</param>
    /// <exception cref="CaptureRefusedException">The URL, or every address of its host, is refused; nothing was fetched.</exception>
    /// <exception cref="CaptureBusyException">Too many captures are running.</exception>
    public async Task<CaptureResult> CaptureAsync(string url, bool render, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var first = CheckUrl(url, out var refusal) ?? throw Refuse(url, refusal!);
        if (!await _slots.WaitAsync(0, cancellationToken))
        {
            throw new CaptureBusyException(
                $"{_options.MaxConcurrentCaptures} captures are already running, the limit (Capture:MaxConcurrentCaptures); retry later.");
        }

        try
        {
            return await RunAsync(first, render, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Releases the concurrency limiter and the renderer (its browsers); captures in flight must have finished.</summary>
    public void Dispose()
    {
        _slots.Dispose();
        (_renderer as IDisposable)?.Dispose();
    }

    /// <summary>
    /// Parses and checks a URL: absolute, http or https, no credentials; the fragment is dropped. Returns null with the
    /// refusal otherwise.
    /// </summary>
    internal static Uri? CheckUrl(string url, out CaptureFailure? refusal)
    {
        ArgumentNullException.ThrowIfNull(url);
        refusal = null;
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
        {
            refusal = new CaptureFailure(CaptureFailureReason.Refused, $"refused: \"{UntrustedText.Printable(url, 100)}\" is not an absolute URL such as https://example.org/page", "url");
            return null;
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            refusal = new CaptureFailure(CaptureFailureReason.Refused, $"refused: the scheme \"{uri.Scheme}\" is not http or https", "scheme");
            return null;
        }

        if (uri.UserInfo.Length > 0)
        {
            refusal = new CaptureFailure(CaptureFailureReason.Refused, "refused: the URL carries credentials (user:password@); they would be written into the evidence", "credentials");
            return null;
        }

        if (uri.Host.Length == 0)
        {
            refusal = new CaptureFailure(CaptureFailureReason.Refused, $"refused: \"{UntrustedText.Printable(url, 100)}\" has no host", "url");
            return null;
        }

        return HostSpelling.IsNonCanonical(uri, out refusal) ? null : new Uri(uri.GetLeftPart(UriPartial.Query));
    }

    private async Task<CaptureResult> RunAsync(Uri first, bool render, CancellationToken ct)
    {
        var started = _time.GetUtcNow();
        var (trusted, trustedNote) = await TrustedTimeAsync(ct);
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var lookups = new Dictionary<string, DnsLookup>(StringComparer.OrdinalIgnoreCase);
        var hops = new List<HopRecord>();
        CaptureFailure? failure = null;
        var current = first;
        var redirects = 0;
        while (true)
        {
            var known = lookups.ContainsKey(current.IdnHost);
            var lookup = await ResolveAsync(current, lookups, deadline.Token);
            ct.ThrowIfCancellationRequested();
            if (lookup.Used is null)
            {
                failure = lookup.Error is not null
                    ? new CaptureFailure(timeout.IsCancellationRequested ? CaptureFailureReason.Timeout : CaptureFailureReason.DnsFailure, lookup.Error)
                    : RefusalOf(lookup);
                if (hops.Count == 0 && failure.Reason == CaptureFailureReason.Refused)
                {
                    throw Refuse(first.AbsoluteUri, failure);
                }

                break;
            }

            var hop = new HopRecord { Url = current, Remote = new IPEndPoint(lookup.Used, current.Port) };
            hop.Timings.Dns = known ? 0 : lookup.Milliseconds;
            await HttpExchange.RunAsync(hop, _options.UserAgent, _options.MaxResponseBytes, _options.MaxRedirectBodyBytes, _time, deadline.Token);
            ct.ThrowIfCancellationRequested();
            hops.Add(hop);
            if (hop.Failure is not null)
            {
                failure = hop.Failure;
                break;
            }

            if (!RedirectStatuses.Contains(hop.StatusCode) || hop.Head!.Get("Location") is not { Length: > 0 } location)
            {
                break;
            }

            if (redirects == _options.MaxRedirects)
            {
                failure = new CaptureFailure(CaptureFailureReason.TooManyRedirects,
                    $"{current} redirects again after {redirects} redirects, the limit (Capture:MaxRedirects)");
                break;
            }

            var next = Uri.TryCreate(current, location, out var resolved) ? CheckUrl(resolved.AbsoluteUri, out var refused) : null;
            if (next is null)
            {
                failure = resolved is null
                    ? new CaptureFailure(CaptureFailureReason.ProtocolError, $"{current} redirects to \"{UntrustedText.Printable(location, 100)}\", which is not a URL")
                    : new CaptureFailure(CaptureFailureReason.Refused, $"the redirect from {current} was {CheckUrlMessage(resolved)}", "scheme");
                break;
            }

            redirects++;
            current = next;
        }

        var finalUrl = hops.Count > 0 ? hops[^1].Url.AbsoluteUri : first.AbsoluteUri;
        RenderOutcome? outcome = null;
        IReadOnlyList<HopRecord> resources = [];
        IReadOnlyList<string> resourceBlocked = [], resourceNotes = [];
        string rendering;
        if (failure is not null)
        {
            rendering = "skipped: the network capture failed";
        }
        else if (!render)
        {
            rendering = "skipped: not requested";
        }
        else if (_renderer is null)
        {
            rendering = "skipped: no browser (install chromium or set Capture:BrowserPath)";
        }
        else
        {
            // The browser reaches the hosts fetched here at the addresses used here, so the render and the recorded exchange talk to the same servers.
            var pinned = lookups.Values.Where(l => l.Used is not null).ToDictionary(l => l.Host, l => l.Used!, StringComparer.OrdinalIgnoreCase);
            if (_renderer is IRecordingRenderer recording)
            {
                // The browser loads the page from the recording (the hops above, redirects and all) and asks the capture
                // for everything else it needs; the capture fetches and records each request: one load, all of it recorded.
                using var resolving = new SemaphoreSlim(1, 1);
                async Task<DnsLookup> ResolveOneAtATimeAsync(Uri url, CancellationToken token)
                {
                    await resolving.WaitAsync(token);
                    try
                    {
                        return await ResolveAsync(url, lookups, token);
                    }
                    finally
                    {
                        resolving.Release();
                    }
                }

                using var fetcher = new RecordingFetcher(_options, _time, ResolveOneAtATimeAsync, hops, deadline.Token);
                (outcome, rendering) = await RenderAsync(
                    first, token => recording.RenderAsync(first, Guard, pinned, _options, fetcher.FetchAsync, token), timeout, ct, deadline.Token);
                resources = fetcher.Resources;
                if (fetcher.Refused.Count > 0)
                {
                    var safe = CaptureLog.Safe(first);
                    CaptureLog.BrowserBlocked(_logger, fetcher.Refused.Count, safe);
                }

                resourceBlocked = fetcher.Refused;
                resourceNotes = fetcher.Notes;
            }
            else
            {
                var final = new Uri(finalUrl);
                (outcome, rendering) = await RenderAsync(final, token => _renderer.RenderAsync(final, Guard, pinned, _options, token), timeout, ct, deadline.Token);
            }
        }

        var page = new CapturedPage
        {
            First = first,
            FinalUrl = finalUrl,
            Started = started,
            TrustedTime = trusted,
            TrustedTimeNote = trustedNote,
            RenderRequested = render,
            Lookups = lookups.Values,
            Hops = hops,
            Resources = resources,
            ResourceBlocked = resourceBlocked,
            ResourceNotes = resourceNotes,
            Failure = failure,
            Outcome = outcome,
            Rendering = rendering,
            Redirects = redirects,
        };
        return await _packager.PackageAsync(page, ct);
    }

    private async Task<DnsLookup> ResolveAsync(Uri url, Dictionary<string, DnsLookup> lookups, CancellationToken ct)
    {
        var host = url.IdnHost;
        if (lookups.TryGetValue(host, out var known))
        {
            return known; // the address pinned for this host stays pinned for the whole capture
        }

        var started = _time.GetTimestamp();
        var literal = IPAddress.TryParse(url.HostNameType == UriHostNameType.IPv6 ? url.Host.Trim('[', ']') : host, out var address);
        var lookup = new DnsLookup { Host = host, Date = _time.GetUtcNow(), Literal = literal };
        lookups[host] = lookup;
        IPAddress[] answers;
        if (literal)
        {
            answers = [address!];
        }
        else
        {
            try
            {
                answers = await Dns.GetHostAddressesAsync(host, ct);
            }
            catch (SocketException e)
            {
                lookup.Error = $"the name {host} did not resolve: {e.SocketErrorCode} ({e.Message})";
                lookup.Milliseconds = _time.GetElapsedTime(started).TotalMilliseconds;
                return lookup;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                lookup.Error = $"the capture ran out of time (Capture:Timeout) while resolving {host}";
                return lookup;
            }
        }

        lookup.Milliseconds = _time.GetElapsedTime(started).TotalMilliseconds;
        lookup.Answers = [.. answers.Select(Guard.Check)];
        lookup.Used = lookup.Answers.FirstOrDefault(v => v.Allowed)?.Address;
        if (answers.Length == 0)
        {
            lookup.Error = $"the name {host} resolved to no address";
        }

        return lookup;
    }

    private static CaptureFailure RefusalOf(DnsLookup lookup)
    {
        var first = lookup.Answers[0];
        var others = lookup.Answers.Count > 1 ? $" (and {lookup.Answers.Count - 1} more address(es) of {lookup.Host}, all refused)" : string.Empty;
        var via = lookup.Literal ? string.Empty : $"{lookup.Host} resolves to: ";
        return new CaptureFailure(CaptureFailureReason.Refused, via + first.Explain() + others, first.Rule);
    }

    private async Task<(RenderOutcome? Outcome, string Rendering)> RenderAsync(
        Uri url, Func<CancellationToken, Task<RenderOutcome>> render, CancellationTokenSource timeout, CancellationToken ct, CancellationToken deadline)
    {
        var safe = CaptureLog.Safe(url);
        try
        {
            var outcome = await render(deadline);
            if (outcome.Blocked.Count > 0)
            {
                CaptureLog.BrowserBlocked(_logger, outcome.Blocked.Count, safe);
            }

            return (outcome, "rendered");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            CaptureLog.RenderFailed(_logger, safe, "timed out");
            return (null, "failed: the browser did not finish within Capture:Timeout");
        }
        catch (Exception e) when (e is RenderException or IOException or InvalidOperationException or System.ComponentModel.Win32Exception or System.Net.WebSockets.WebSocketException)
        {
            CaptureLog.RenderFailed(_logger, safe, CaptureLog.Safe(e.Message, [url]));
            return (null, "failed: " + e.Message);
        }
    }

    private async Task<(DateTimeOffset? Time, string Note)> TrustedTimeAsync(CancellationToken ct)
    {
        if (_trustedTime is null)
        {
            return (null, "not available: no independent TSA configured (Timestamping:Url); the built-in TSA keeps the node's own clock");
        }

        try
        {
            return await _trustedTime(ct) is { } t ? (t, "from the independent TSA (Timestamping:Url)") : (null, "not available: the TSA gave no time");
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or HttpRequestException or TimeoutException)
        {
            return (null, "not available: " + e.Message);
        }
    }

    private CaptureRefusedException Refuse(string url, CaptureFailure refusal)
    {
        var safe = Uri.TryCreate(url, UriKind.Absolute, out var u) ? CaptureLog.Safe(u) : "(not a URL)";
        CaptureLog.Refused(_logger, safe, refusal.Rule);
        return new CaptureRefusedException(refusal.Rule, refusal.Message);
    }

    private static string CheckUrlMessage(Uri resolved)
    {
        CheckUrl(resolved.AbsoluteUri, out var refusal);
        return refusal?.Message ?? "refused";
    }

    private static void CheckLimit(bool ok, string setting, string expected)
    {
        if (!ok)
        {
            throw new ArgumentException($"{setting} must be {expected}.");
        }
    }
}
