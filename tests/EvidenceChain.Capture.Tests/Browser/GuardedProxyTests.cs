using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EvidenceChain.Capture.Browser.Internal;
using EvidenceChain.Capture.Guard;
using EvidenceChain.Capture.Tests.Infrastructure;

namespace EvidenceChain.Capture.Tests.Browser;

/// <summary>The browser's guarded proxy, driven over a raw socket as a browser would.</summary>
public sealed class GuardedProxyTests : IClassFixture<FixtureSite>
{
    private readonly FixtureSite _site;

    public GuardedProxyTests(FixtureSite site) => _site = site;

    private static AddressGuard Loopback() => new([AddressGuard.ParseNetwork("127.0.0.0/8")]);

    [Fact]
    public async Task PlainHttp_KeepAliveServer_TheBrowserIsToldToCloseAndASecondRequestNeverReachesTheFirstServer()
    {
        await using var first = new KeepAliveSite(_site.Http);
        var proxy = new GuardedProxy(Loopback());
        await using (proxy)
        {
            proxy.Start();
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
            var stream = client.GetStream();
            stream.ReadTimeout = 10_000;

            await stream.WriteAsync(Request(first.Url));
            var response = await ReadResponseAsync(stream);

            Assert.StartsWith("HTTP/1.1 200", response);
            Assert.Contains("\r\nConnection: close\r\n", response, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("\r\nProxy-Connection: close\r\n", response, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("keep-alive", response.Split("\r\n\r\n")[0], StringComparison.OrdinalIgnoreCase);

            // A browser that reused the connection anyway, for another origin: it must not reach the first server.
            var second = new Uri(_site.Http, "/second-origin.js");
            try
            {
                await stream.WriteAsync(Request(second));
                var answer = await ReadResponseAsync(stream);
                Assert.DoesNotContain(KeepAliveSite.ForgedMarker, answer);
            }
            catch (IOException)
            {
                // the proxy closed the connection: the browser opens a new one
            }

            Assert.Equal(["GET / HTTP/1.1"], first.Requests);
        }
    }

    [Fact]
    public async Task PlainHttp_SeededPin_IsUsedWithoutResolvingTheName()
    {
        // "pinned.invalid" never resolves; the seed says which checked address the capture used for it.
        var proxy = new GuardedProxy(Loopback(), new Dictionary<string, IPAddress> { ["pinned.invalid"] = IPAddress.Loopback });
        await using (proxy)
        {
            proxy.Start();
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
            var stream = client.GetStream();
            stream.ReadTimeout = 10_000;

            await stream.WriteAsync(Request(new Uri($"http://pinned.invalid:{_site.Http.Port.ToString(CultureInfo.InvariantCulture)}/page.html")));
            var response = await ReadResponseAsync(stream);

            Assert.StartsWith("HTTP/1.1 200", response);
            Assert.EndsWith(FixtureSite.PageHtml, response);
            Assert.Empty(proxy.Blocked);
        }
    }

    [Theory]
    [InlineData("CONNECT 127.0.0.1.:443 HTTP/1.1", "non-canonical-host")]
    [InlineData("CONNECT localhost.:443 HTTP/1.1", "non-canonical-host")]
    [InlineData("CONNECT 0x7f.1.:443 HTTP/1.1", "non-canonical-host")]
    [InlineData("CONNECT [fe80::1%25eth0]:443 HTTP/1.1", "non-canonical-host")]
    [InlineData("CONNECT 09.0.0.1:443 HTTP/1.1", "non-canonical-host")]
    [InlineData("GET http://127.0.0.1.:{port}/page.html HTTP/1.1", "non-canonical-host")]
    [InlineData("GET http://2130706433.:{port}/page.html HTTP/1.1", "non-canonical-host")]
    [InlineData("GET http://localhost.:{port}/page.html HTTP/1.1", "non-canonical-host")]
    [InlineData("GET http://0177.0.0.1:{port}/page.html HTTP/1.1", "loopback address")]
    [InlineData("GET http://0x7f.1:{port}/page.html HTTP/1.1", "loopback address")]
    [InlineData("GET http://2130706433:{port}/page.html HTTP/1.1", "loopback address")]
    [InlineData("CONNECT 127.1:443 HTTP/1.1", "loopback address")]
    public async Task Request_NonCanonicalOrGuardedLiteral_IsRefusedWithoutAnyLookupOrConnection(string requestLine, string reason)
    {
        var lookups = new List<string>();
        var proxy = new GuardedProxy(AddressGuard.Strict, resolve: (host, _) =>
        {
            lock (lookups)
            {
                lookups.Add(host);
            }

            return Task.FromResult(new[] { IPAddress.Loopback });
        });
        _site.ClearRequests();
        await using (proxy)
        {
            proxy.Start();
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
            var stream = client.GetStream();
            var line = requestLine.Replace("{port}", _site.Http.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{line}\r\nHost: x\r\n\r\n"));
            var response = await ReadResponseAsync(stream);

            Assert.StartsWith("HTTP/1.1 403", response);
            var blocked = Assert.Single(proxy.Blocked);
            Assert.Contains(reason == "non-canonical-host" ? "refused: the host " : "refused: 127.0.0.1 is a loopback address", blocked);
            Assert.Empty(lookups);
            Assert.Empty(_site.Requests);
            Assert.Equal([string.Join(' ', line.Split(' ')[..2])], proxy.Requests);
        }
    }

    private static byte[] Request(Uri url) => Encoding.ASCII.GetBytes(
        $"GET {url.AbsoluteUri} HTTP/1.1\r\nHost: {url.Authority}\r\nProxy-Connection: keep-alive\r\nConnection: keep-alive\r\n\r\n");

    // Reads one response framed by Content-Length (what the fixtures send).
    private static async Task<string> ReadResponseAsync(NetworkStream stream)
    {
        var data = new List<byte>();
        var chunk = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var text = Encoding.Latin1.GetString([.. data]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var length = text[..end].Split("\r\n")
                    .Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture))
                    .FirstOrDefault();
                if (data.Count >= end + 4 + length)
                {
                    return Encoding.UTF8.GetString([.. data]);
                }
            }

            var read = await stream.ReadAsync(chunk, timeout.Token);
            if (read == 0)
            {
                throw new IOException("the proxy closed the connection");
            }

            data.AddRange(chunk.AsSpan(0, read));
        }
    }
}
