using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace EvidenceChain.Capture.Browser.Internal;

/// <summary>
/// The proxy of the browser's own default context, where no page is loaded: it lists the first line of every request
/// sent to it and answers 403 without resolving or connecting anything, so the requests Chromium makes by itself
/// (those no switch turns off, such as the sign-in cookie check) never leave the node.
/// </summary>
internal sealed class SinkProxy : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly LoopbackServer _server;

    public SinkProxy() => _server = new LoopbackServer(RefuseAsync);

    public int Port => _server.Port;

    /// <summary>The request lines received, without the HTTP version (e.g. <c>CONNECT accounts.google.com:443</c>).</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public void Start() => _server.Start();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task RefuseAsync(Socket client, CancellationToken ct)
    {
        using var _ = client;
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: false);
            var line = new List<byte>();
            var buffer = new byte[1024];
            while (line.Count < 4096 && !line.Contains((byte)'\n'))
            {
                var read = await stream.ReadAsync(buffer, ct);
                if (read == 0)
                {
                    break;
                }

                line.AddRange(buffer.AsSpan(0, read));
            }

            var first = Encoding.Latin1.GetString([.. line]).Split('\n')[0].TrimEnd('\r');
            var version = first.LastIndexOf(" HTTP/", StringComparison.Ordinal);
            _requests.Enqueue(version > 0 ? first[..version] : first);
            await stream.WriteAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), ct);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the browser gave up, or the render ended
        }
    }
}
