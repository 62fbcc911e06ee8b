using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EvidenceChain.Capture.Guard;
using EvidenceChain.Capture.Internal;

namespace EvidenceChain.Capture.Browser.Internal;

/// <summary>
/// The browser's only way out: an HTTP forward proxy on 127.0.0.1 that resolves each host itself, checks the answers
/// with the SSRF guard, and connects only to the checked address (pinned per host for the render). Plain http
/// requests are forwarded one per connection; https and WebSockets go through CONNECT tunnels. Refused requests get
/// 403 and are listed in <see cref="Blocked"/>.
/// </summary>
internal sealed class GuardedProxy : IAsyncDisposable
{
    private const int MaxHeadBytes = 64 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly AddressGuard _guard;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Task<(IPAddress? Address, string? Refusal)>> _pins = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _blocked = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private Task? _accept;

    public GuardedProxy(AddressGuard guard) => _guard = guard;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<string> Blocked => [.. _blocked];

    public void Start()
    {
        _listener.Start();
        _accept = Task.Run(AcceptLoopAsync, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (_accept is not null)
        {
            await _accept;
        }

        await Task.WhenAll(_connections.Keys);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var task = HandleAsync(client);
            _connections[task] = true;
            _ = task.ContinueWith(t => _connections.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(Socket client)
    {
        using var _ = client;
        var ct = _stop.Token;
        try
        {
            await using var clientStream = new NetworkStream(client, ownsSocket: false);
            var (head, rest) = await ReadHeadAsync(clientStream, ct);
            if (head is null)
            {
                return;
            }

            var lines = Encoding.Latin1.GetString(head).Split("\r\n");
            var parts = lines[0].Split(' ');
            if (parts.Length != 3)
            {
                await RespondAsync(clientStream, "400 Bad Request", ct);
                return;
            }

            var connect = parts[0].Equals("CONNECT", StringComparison.OrdinalIgnoreCase);
            Uri? target = connect ? new Uri("https://" + parts[1] + "/") : Uri.TryCreate(parts[1], UriKind.Absolute, out var u) ? u : null;
            if (target is null || (!connect && target.Scheme != Uri.UriSchemeHttp))
            {
                _blocked.Enqueue($"{parts[1]}: refused: only http requests and CONNECT tunnels are proxied");
                await RespondAsync(clientStream, "403 Forbidden", ct);
                return;
            }

            var (address, refusal) = await PinAsync(target.IdnHost, target.HostNameType, ct);
            if (address is null)
            {
                _blocked.Enqueue($"{(connect ? parts[1] : CaptureLog.Safe(target))}: {refusal}");
                await RespondAsync(clientStream, "403 Forbidden", ct);
                return;
            }

            using var upstream = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await upstream.ConnectAsync(new IPEndPoint(address, target.Port), ct);
            }
            catch (SocketException)
            {
                await RespondAsync(clientStream, "502 Bad Gateway", ct);
                return;
            }

            await using var upstreamStream = new NetworkStream(upstream, ownsSocket: false);
            if (connect)
            {
                await clientStream.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray(), ct);
            }
            else
            {
                await upstreamStream.WriteAsync(RewriteForOrigin(lines, target), ct);
            }

            if (rest.Length > 0)
            {
                await upstreamStream.WriteAsync(rest, ct);
            }

            var up = clientStream.CopyToAsync(upstreamStream, ct);
            var down = upstreamStream.CopyToAsync(clientStream, ct);
            await Task.WhenAny(up, down);
            client.Shutdown(SocketShutdown.Both);
            upstream.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or UriFormatException)
        {
            // a connection the browser or the server dropped, or the render ending: nothing to record
        }
    }

    private Task<(IPAddress? Address, string? Refusal)> PinAsync(string host, UriHostNameType type, CancellationToken ct) =>
        _pins.GetOrAdd(host, _ => ResolveAsync(host, type, ct));

    private async Task<(IPAddress? Address, string? Refusal)> ResolveAsync(string host, UriHostNameType type, CancellationToken ct)
    {
        IPAddress[] answers;
        if (IPAddress.TryParse(type == UriHostNameType.IPv6 ? host.Trim('[', ']') : host, out var literal))
        {
            answers = [literal];
        }
        else
        {
            try
            {
                answers = await Dns.GetHostAddressesAsync(host, ct);
            }
            catch (SocketException e)
            {
                return (null, $"the name {host} did not resolve: {e.SocketErrorCode}");
            }
        }

        var verdicts = answers.Select(_guard.Check).ToList();
        return verdicts.FirstOrDefault(v => v.Allowed) is { } ok
            ? (ok.Address, null)
            : (null, verdicts.Count == 0 ? $"the name {host} resolved to no address" : verdicts[0].Explain());
    }

    private static byte[] RewriteForOrigin(string[] lines, Uri target)
    {
        var head = new StringBuilder()
            .Append(lines[0].Split(' ')[0]).Append(' ').Append(target.PathAndQuery).Append(" HTTP/1.1\r\n");
        foreach (var line in lines.Skip(1).TakeWhile(l => l.Length > 0))
        {
            var name = line.Split(':', 2)[0].Trim();
            if (name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            head.Append(line).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        return Encoding.Latin1.GetBytes(head.ToString());
    }

    private static async Task<(byte[]? Head, byte[] Remainder)> ReadHeadAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (buffer.Length < MaxHeadBytes)
        {
            var read = await stream.ReadAsync(chunk, ct);
            if (read == 0)
            {
                return (null, []);
            }

            buffer.Write(chunk, 0, read);
            var end = buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var all = buffer.ToArray();
                return (all[..(end + 4)], all[(end + 4)..]);
            }
        }

        return (null, []);
    }

    private static async Task RespondAsync(NetworkStream stream, string status, CancellationToken ct) =>
        await stream.WriteAsync(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")), ct);
}
