using System.Globalization;
using System.IO.Compression;
using System.Net;
using EvidenceChain.Capture.Browser;

namespace EvidenceChain.Capture.Internal;

/// <summary>
/// Answers the browser's intercepted requests (<see cref="IRecordingRenderer"/>) by fetching each itself the way the
/// capture fetches the page: the URL checked (<see cref="PageCapturer.CheckUrl"/>), the host resolved once per capture
/// and every answer checked by the SSRF guard, a connection of its own to the pinned address, the exchange recorded raw
/// with its TLS details. A refused address is answered with a network error and listed, never connected to. A GET of a
/// URL already fetched in this capture (the page's own hops included) is answered from the recording: each URL is
/// fetched once. Limits: <see cref="CaptureOptions.MaxResponseBytes"/> per response, <see cref="CaptureOptions.MaxResources"/>
/// exchanges and <see cref="CaptureOptions.MaxResourceBytes"/> bytes per capture.
/// </summary>
/// <remarks>Thread-safe: the browser's requests come in concurrently. One per capture.</remarks>
internal sealed class RecordingFetcher : IDisposable
{
    private const int Parallel = 6;
    private static readonly HashSet<string> DroppedForBrowser = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Content-Length", "Trailer", "Upgrade",
    };

    private readonly CaptureOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<Uri, CancellationToken, Task<DnsLookup>> _resolve;
    private readonly Dictionary<string, Task<InterceptedAnswer>> _fetched = new(StringComparer.Ordinal);
    private readonly List<HopRecord> _resources = [];
    private readonly List<string> _refused = [];
    private readonly List<string> _notes = [];
    private readonly SemaphoreSlim _parallel = new(Parallel, Parallel);
    private readonly Lock _gate = new();
    private readonly CancellationToken _deadline;
    private long _bytes;
    private int _count;

    /// <summary>Creates the fetcher of one capture.</summary>
    /// <param name="options">The capture's limits.</param>
    /// <param name="time">The node's clock.</param>
    /// <param name="resolve">The capture's resolver: one lookup per host, every answer checked by the guard.</param>
    /// <param name="hops">The page's own exchanges, already recorded: the browser gets these, not new fetches.</param>
    /// <param name="deadline">The capture's deadline (Capture:Timeout), to tell it from the page being closed.</param>
    public RecordingFetcher(
        CaptureOptions options, TimeProvider time, Func<Uri, CancellationToken, Task<DnsLookup>> resolve, IEnumerable<HopRecord> hops, CancellationToken deadline)
    {
        _deadline = deadline;
        _options = options;
        _time = time;
        _resolve = resolve;
        foreach (var hop in hops.Where(h => h.Failure is null && h.Head is not null))
        {
            _fetched.TryAdd(hop.Url.AbsoluteUri, Task.FromResult(Answer(hop)));
        }
    }

    /// <summary>The exchanges made for the browser, in the order they finished.</summary>
    public IReadOnlyList<HopRecord> Resources
    {
        get
        {
            lock (_gate)
            {
                return [.. _resources];
            }
        }
    }

    /// <summary>The requests refused, each as "URL: reason".</summary>
    public IReadOnlyList<string> Refused
    {
        get
        {
            lock (_gate)
            {
                return [.. _refused];
            }
        }
    }

    /// <summary>What else the record should say: resources that failed or were cut, limits reached.</summary>
    public IReadOnlyList<string> Notes
    {
        get
        {
            lock (_gate)
            {
                return [.. _notes];
            }
        }
    }

    /// <summary>Fetches and records <paramref name="request"/>, or answers it from the recording; never throws for network failures.</summary>
    public Task<InterceptedAnswer> FetchAsync(InterceptedRequest request, CancellationToken ct)
    {
        var url = PageCapturer.CheckUrl(request.Url, out var refusal);
        if (url is null)
        {
            return Task.FromResult(Refuse(request.Url, refusal!.Message));
        }

        if (request.Method != "GET")
        {
            return FetchOnceAsync(url, request, ct);
        }

        lock (_gate)
        {
            if (!_fetched.TryGetValue(url.AbsoluteUri, out var answer))
            {
                answer = FetchOnceAsync(url, request, ct);
                _fetched[url.AbsoluteUri] = answer;
            }

            return answer;
        }
    }

    private async Task<InterceptedAnswer> FetchOnceAsync(Uri url, InterceptedRequest request, CancellationToken ct)
    {
        await Task.Yield();
        var safe = CaptureLog.Safe(url);
        long room;
        lock (_gate)
        {
            if (++_count > _options.MaxResources)
            {
                if (_count == _options.MaxResources + 1)
                {
                    _notes.Add(string.Create(CultureInfo.InvariantCulture,
                        $"the page asked for more than {_options.MaxResources} resources (Capture:MaxResources); the rest were not fetched, the first was {safe}"));
                }

                return InterceptedAnswer.Error("BlockedByClient");
            }

            room = _options.MaxResourceBytes - _bytes;
        }

        if (room <= 0)
        {
            lock (_gate)
            {
                _notes.Add($"not fetched: {safe}: the capture's resources reached {_options.MaxResourceBytes.ToString(CultureInfo.InvariantCulture)} bytes (Capture:MaxResourceBytes)");
            }

            return InterceptedAnswer.Error("BlockedByClient");
        }

        var lookup = await _resolve(url, ct);
        if (lookup.Used is null)
        {
            if (lookup.Error is not null)
            {
                lock (_gate)
                {
                    _notes.Add($"not fetched: {safe}: {lookup.Error}");
                }

                return InterceptedAnswer.Error("NameNotResolved");
            }

            return Refuse(safe, lookup.Answers[0].Explain());
        }

        await _parallel.WaitAsync(ct);
        var hop = new HopRecord { Url = url, Remote = new IPEndPoint(lookup.Used, url.Port), ResourceType = request.ResourceType };
        try
        {
            var limit = Math.Min(_options.MaxResponseBytes, room);
            var message = HttpExchange.BuildRequest(url, request.Method, request.Fields, request.Body);
            await HttpExchange.RunAsync(hop, message, request.Method == "HEAD", limit, _options.MaxRedirectBodyBytes, _time, ct);
        }
        finally
        {
            _parallel.Release();
        }

        lock (_gate)
        {
            _bytes += hop.Response.Length;
            if (hop.Request.Length > 0)
            {
                _resources.Add(hop);
            }

            if (hop.Failure is { Reason: CaptureFailureReason.Timeout } && !_deadline.IsCancellationRequested)
            {
                hop.Failure = new CaptureFailure(CaptureFailureReason.Timeout, "it was still loading when the page was captured; the response is cut there");
            }

            if (hop.Failure is not null)
            {
                _notes.Add($"resource {safe} ({request.ResourceType}) failed: {hop.Failure.Message}");
            }
        }

        return hop.Failure is null ? Answer(hop) : InterceptedAnswer.Error(hop.Failure.Reason == CaptureFailureReason.Timeout ? "TimedOut" : "Failed");
    }

    /// <summary>Releases the limiter; the browser's page must be closed (no fetch running).</summary>
    public void Dispose() => _parallel.Dispose();

    private InterceptedAnswer Refuse(string url, string reason)
    {
        lock (_gate)
        {
            _refused.Add($"{url}: {reason}");
        }

        return InterceptedAnswer.Error("AccessDenied");
    }

    // The recorded response as the browser takes it: content coding removed (the record keeps it), framing fields dropped.
    private InterceptedAnswer Answer(HopRecord hop)
    {
        var head = hop.Head!;
        var coding = head.Get("Content-Encoding")?.Trim().ToLowerInvariant();
        var plain = coding is "gzip" or "x-gzip" or "deflate" or "br" ? Decode(coding, hop.Payload) : null;
        var decoded = plain is not null;
        var body = plain ?? hop.Payload;

        var fields = head.Fields
            .Where(f => !DroppedForBrowser.Contains(f.Key) && !(decoded && f.Key.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var parts = head.StartLine.Split(' ', 3);
        return new InterceptedAnswer(head.StatusCode, parts.Length == 3 ? parts[2].Trim() : string.Empty, fields, body);
    }

    private byte[]? Decode(string coding, byte[] payload)
    {
        try
        {
            using var input = new MemoryStream(payload);
            using Stream decoder = coding switch
            {
                "br" => new BrotliStream(input, CompressionMode.Decompress),
                "deflate" => new ZLibStream(input, CompressionMode.Decompress),
                _ => new GZipStream(input, CompressionMode.Decompress),
            };
            using var output = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = decoder.Read(buffer)) > 0)
            {
                if (output.Length + read > _options.MaxResponseBytes * 4)
                {
                    return null; // a decompression bomb: the browser gets the coded body and its Content-Encoding
                }

                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
