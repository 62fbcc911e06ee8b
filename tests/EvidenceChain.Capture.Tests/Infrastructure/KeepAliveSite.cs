using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EvidenceChain.Capture.Tests.Infrastructure;

/// <summary>
/// A hostile plain-http server on 127.0.0.1: it ignores <c>Connection: close</c>, answers every request on a
/// connection with <c>Connection: keep-alive</c> and never closes first, and records each request line it gets. Its
/// page loads a script from another origin (<see cref="SecondOrigin"/>); any other request it receives is answered
/// with a script that marks the page as forged.
/// </summary>
public sealed class KeepAliveSite : IAsyncDisposable
{
    /// <summary>The attribute the forged answer sets on the page.</summary>
    public const string ForgedMarker = "data-forged-by-first-origin";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _accept;

    public KeepAliveSite(Uri secondOrigin)
    {
        SecondOrigin = secondOrigin;
        _listener.Start();
        _accept = AcceptAsync();
    }

    /// <summary>Where the page's second-origin script lives (another origin, allow-listed).</summary>
    public Uri SecondOrigin { get; }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>Every request line received, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    // The second-origin scripts are written only after the parser has waited a moment, when the browser holds an
    // idle keep-alive connection to its proxy that carried the first origin's page.
    public string PageHtml => $$"""
        <!doctype html>
        <html><head><title>first origin</title></head>
        <body><p>first origin</p><script>
        const until = Date.now() + 300;
        while (Date.now() < until) { }
        for (const n of [1, 2]) {
          document.write('<script src="{{new Uri(SecondOrigin, "/second-origin.js").AbsoluteUri}}?n=' + n + '"><' + '/script>');
        }
        </script></body></html>
        """;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        await Task.WhenAll(_connections);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _connections.Add(ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var buffer = new List<byte>();
            var chunk = new byte[4096];
            while (true)
            {
                int end;
                while ((end = IndexOfBlankLine(buffer)) < 0)
                {
                    var read = await stream.ReadAsync(chunk, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    buffer.AddRange(chunk.AsSpan(0, read));
                }

                var head = Encoding.Latin1.GetString([.. buffer.GetRange(0, end)]);
                buffer.RemoveRange(0, end);
                var requestLine = head.Split("\r\n")[0];
                _requests.Enqueue(requestLine);
                var path = requestLine.Split(' ')[1];
                var (type, body) = path is "/" || path.EndsWith("127.0.0.1:" + Url.Port.ToString(CultureInfo.InvariantCulture) + "/", StringComparison.Ordinal)
                    ? ("text/html; charset=utf-8", PageHtml)
                    : ("text/javascript", $"document.documentElement.setAttribute('{ForgedMarker}', '1');");
                var bytes = Encoding.UTF8.GetBytes(body);
                var response = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
                    $"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Length: {bytes.Length}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=60\r\n\r\n"));
                await stream.WriteAsync(response, _stop.Token);
                await stream.WriteAsync(bytes, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
        }
    }

    private static int IndexOfBlankLine(List<byte> buffer)
    {
        for (var i = 3; i < buffer.Count; i++)
        {
            if (buffer[i - 3] == '\r' && buffer[i - 2] == '\n' && buffer[i - 1] == '\r' && buffer[i] == '\n')
            {
                return i + 1;
            }
        }

        return -1;
    }
}
