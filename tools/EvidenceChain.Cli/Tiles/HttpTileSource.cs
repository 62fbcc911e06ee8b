using System.Globalization;
using System.Net;

namespace EvidenceChain.Cli.Tiles;

/// <summary>
/// A log served over HTTP: at most <c>concurrency</c> requests at once, each with a time-out, and a failed one (no
/// connection, a time-out, 5xx, 429) tried <see cref="Attempts"/> times with growing pauses before it gives up with
/// a <see cref="TileSourceException"/> naming the URL. 404 means the file is not there. Thread-safe.
/// </summary>
internal sealed class HttpTileSource : TileSource
{
    /// <summary>Tries per file.</summary>
    public const int Attempts = 4;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly Uri _base;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _slots;

    public HttpTileSource(Uri location, int concurrency)
    {
        _base = location.AbsoluteUri.EndsWith('/') ? location : new Uri(location.AbsoluteUri + "/");
        _slots = new SemaphoreSlim(concurrency, concurrency);
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            MaxConnectionsPerServer = concurrency,
            AutomaticDecompression = DecompressionMethods.All,
        })
        {
            Timeout = RequestTimeout,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("evidencectl-mirror/1");
    }

    /// <summary>The pause before each retry; tests shorten it.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public override string Name => _base.AbsoluteUri;

    public override async Task<byte[]?> GetAsync(string path, CancellationToken cancellationToken)
    {
        var url = new Uri(_base, path);
        await _slots.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                string failure;
                try
                {
                    using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    if (response.StatusCode == HttpStatusCode.NotFound)
                    {
                        return null;
                    }

                    if (response.IsSuccessStatusCode)
                    {
                        return await ReadAsync(url, response, cancellationToken);
                    }

                    failure = string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                    if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests && response.StatusCode != HttpStatusCode.RequestTimeout)
                    {
                        throw new TileSourceException($"GET {url}: {failure}");
                    }
                }
                catch (HttpRequestException e)
                {
                    failure = e.Message;
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = string.Create(CultureInfo.InvariantCulture, $"no answer within {RequestTimeout.TotalSeconds:0} s");
                }
                catch (IOException e)
                {
                    failure = e.Message;
                }

                if (attempt == Attempts)
                {
                    throw new TileSourceException($"GET {url} failed {Attempts} times; the last: {failure}");
                }

                await Task.Delay(RetryDelay * (1 << (attempt - 1)), cancellationToken);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private static async Task<byte[]> ReadAsync(Uri url, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxFileBytes)
        {
            throw new TileSourceException($"GET {url}: {response.Content.Headers.ContentLength} bytes; no tile, bundle or checkpoint is larger than {MaxFileBytes}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
            {
                throw new TileSourceException($"GET {url}: more than {MaxFileBytes} bytes; no tile, bundle or checkpoint is larger");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public override void Dispose()
    {
        _http.Dispose();
        _slots.Dispose();
        base.Dispose();
    }
}
