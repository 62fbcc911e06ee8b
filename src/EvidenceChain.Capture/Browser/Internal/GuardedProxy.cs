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
/// with the SSRF guard, and connects only to the checked address (pinned per host for the render; the hosts the
/// capture itself fetched start pinned to the addresses it used). Plain http is forwarded exactly one request and
/// one response per browser connection: the browser is told <c>Connection: close</c> and <c>Proxy-Connection:
/// close</c>, and the connection is closed after the response, so a request for another origin can never go down a
/// connection pinned to the first. https and WebSockets go through CONNECT tunnels. Hosts written non-canonically
/// (<see cref="HostSpelling"/>) are refused before any lookup. Refused requests get 403 and are listed in
/// <see cref="Blocked"/>; every request the browser sent, refused or not, is listed in <see cref="Requests"/>.
/// </summary>
internal sealed class GuardedProxy : IAsyncDisposable
{
    private const int MaxHeadBytes = 64 * 1024;
    private readonly AddressGuard _guard;
    private readonly ConcurrentDictionary<string, Task<(IPAddress? Address, string? Refusal)>> _pins = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _blocked = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly LoopbackServer _server;

    /// <summary>Creates the proxy.</summary>
    /// <param name="guard">The SSRF guard.</param>
    /// <param name="pinned">Hosts already resolved and checked by the capture, with the address it used for each.</param>
    /// <param name="resolve">Resolves a name; default the system resolver (tests record the calls).</param>
    public GuardedProxy(
        AddressGuard guard, IReadOnlyDictionary<string, IPAddress>? pinned = null, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _guard = guard;
        _server = new LoopbackServer(HandleAsync);
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
        foreach (var (host, address) in pinned ?? new Dictionary<string, IPAddress>())
        {
            // Checked again: a seed is only a choice among addresses the guard lets through.
            var verdict = guard.Check(address);
            _pins[host] = Task.FromResult<(IPAddress?, string?)>(verdict.Allowed ? (verdict.Address, null) : (null, verdict.Explain()));
        }
    }

    public int Port => _server.Port;

    public IReadOnlyList<string> Blocked => [.. _blocked];

    /// <summary>Every request head the browser sent, as "METHOD target" (e.g. <c>CONNECT host:443</c>), in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public void Start() => _server.Start();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(Socket client, CancellationToken ct)
    {
        using var _ = client;
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
            _requests.Enqueue(parts.Length == 3 ? $"{parts[0]} {parts[1]}" : lines[0]);
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

            if (HostSpelling.Explain(target) is { } spelling)
            {
                _blocked.Enqueue($"{(connect ? parts[1] : CaptureLog.Safe(target))}: refused: {spelling}");
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
                if (rest.Length > 0)
                {
                    await upstreamStream.WriteAsync(rest, ct);
                }

                var up = clientStream.CopyToAsync(upstreamStream, ct);
                var down = upstreamStream.CopyToAsync(clientStream, ct);
                await Task.WhenAny(up, down);
            }
            else
            {
                await ForwardOneAsync(clientStream, upstreamStream, lines, rest, target, ct);
            }

            client.Shutdown(SocketShutdown.Both);
            upstream.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or UriFormatException)
        {
            // a connection the browser or the server dropped, or the render ending: nothing to record
        }
    }

    // One request and its response, then the connection ends: nothing more the browser sends is forwarded, and the
    // response tells it to close, whatever the server said about keep-alive.
    private static async Task ForwardOneAsync(NetworkStream client, NetworkStream upstream, string[] lines, byte[] rest, Uri target, CancellationToken ct)
    {
        var fields = lines.Skip(1).TakeWhile(l => l.Length > 0).ToList();
        if (fields.Any(l => FieldName(l).Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
        {
            await RespondAsync(client, "501 Not Implemented", ct); // a request body of unknown length: not forwarded
            return;
        }

        var length = fields.Where(l => FieldName(l).Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(l => long.TryParse(l.Split(':', 2)[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1)
            .DefaultIfEmpty(0).First();
        if (length < 0)
        {
            await RespondAsync(client, "400 Bad Request", ct);
            return;
        }

        await upstream.WriteAsync(RewriteForOrigin(lines, target), ct);
        var inHand = (int)Math.Min(rest.Length, length);
        await upstream.WriteAsync(rest.AsMemory(0, inHand), ct);
        await CopyExactlyAsync(client, upstream, length - inHand, ct);

        // The response head (after any interim 1xx heads), rewritten so the browser closes the connection.
        var pending = Array.Empty<byte>();
        while (true)
        {
            var (head, remainder) = await ReadHeadAsync(upstream, pending, ct);
            if (head is null)
            {
                await RespondAsync(client, "502 Bad Gateway", ct);
                return;
            }

            var responseLines = Encoding.Latin1.GetString(head).Split("\r\n");
            await client.WriteAsync(RewriteForBrowser(responseLines), ct);
            pending = remainder;
            var status = responseLines[0].Split(' ');
            if (status.Length < 2 || status[1].Length != 3 || status[1][0] != '1' || status[1] == "101")
            {
                break;
            }
        }

        await client.WriteAsync(pending, ct);

        // The body, until the server closes; the browser closing (as told), or sending anything more, ends it too.
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var down = upstream.CopyToAsync(client, done.Token);
        var watch = client.ReadAsync(new byte[1], done.Token).AsTask();
        await Task.WhenAny(down, watch);
        await done.CancelAsync();
        try
        {
            await Task.WhenAll(down, watch);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // one side ended: the exchange is over
        }
    }

    private static async Task CopyExactlyAsync(NetworkStream from, NetworkStream to, long count, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        while (count > 0)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), ct);
            if (read == 0)
            {
                throw new IOException("the browser closed the connection in the middle of the request body");
            }

            await to.WriteAsync(buffer.AsMemory(0, read), ct);
            count -= read;
        }
    }

    private static string FieldName(string line) => line.Split(':', 2)[0].Trim();

    private static bool IsHopByHop(string name) =>
        name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Authenticate", StringComparison.OrdinalIgnoreCase);

    private static byte[] RewriteForBrowser(string[] lines)
    {
        var head = new StringBuilder().Append(lines[0]).Append("\r\n");
        foreach (var line in lines.Skip(1).TakeWhile(l => l.Length > 0))
        {
            if (!IsHopByHop(FieldName(line)))
            {
                head.Append(line).Append("\r\n");
            }
        }

        head.Append("Connection: close\r\nProxy-Connection: close\r\n\r\n");
        return Encoding.Latin1.GetBytes(head.ToString());
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
                answers = await _resolve(host, ct);
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
            if (IsHopByHop(FieldName(line)))
            {
                continue;
            }

            head.Append(line).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        return Encoding.Latin1.GetBytes(head.ToString());
    }

    private static async Task<(byte[]? Head, byte[] Remainder)> ReadHeadAsync(NetworkStream stream, CancellationToken ct) =>
        await ReadHeadAsync(stream, [], ct);

    // Reads a head (through its blank line), starting with bytes already read; returns it and what followed it.
    private static async Task<(byte[]? Head, byte[] Remainder)> ReadHeadAsync(NetworkStream stream, byte[] already, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        buffer.Write(already);
        var chunk = new byte[8192];
        while (true)
        {
            var found = buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf("\r\n\r\n"u8);
            if (found >= 0)
            {
                var all = buffer.ToArray();
                return (all[..(found + 4)], all[(found + 4)..]);
            }

            if (buffer.Length >= MaxHeadBytes)
            {
                return (null, []);
            }

            var read = await stream.ReadAsync(chunk, ct);
            if (read == 0)
            {
                return (null, []);
            }

            buffer.Write(chunk, 0, read);
        }
    }

    private static async Task RespondAsync(NetworkStream stream, string status, CancellationToken ct) =>
        await stream.WriteAsync(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")), ct);
}
