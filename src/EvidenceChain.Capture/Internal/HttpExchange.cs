using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EvidenceChain.Capture.Internal;

/// <summary>
/// One HTTP/1.1 exchange over a connection this class opens itself to an address the guard already checked (the pinned
/// address: nothing is resolved here), with TLS for https: the capture's own GET, or a request the browser asked for
/// (<see cref="BuildRequest(Uri, string, IEnumerable{KeyValuePair{string, string}}, byte[])"/>). Records the request
/// and response bytes exactly as sent and received, the TLS details and the timings. Never throws for network
/// failures: they become the hop's failure.
/// </summary>
internal static class HttpExchange
{
    public static byte[] BuildRequest(Uri url, string userAgent)
    {
        var host = HostField(url);
        var request = new StringBuilder()
            .Append("GET ").Append(url.PathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(host).Append("\r\n")
            .Append("User-Agent: ").Append(userAgent).Append("\r\n")
            .Append("Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n")
            .Append("Accept-Encoding: gzip, deflate\r\n")
            .Append("Connection: close\r\n")
            .Append("\r\n");
        return Encoding.ASCII.GetBytes(request.ToString());
    }

    /// <summary>
    /// A request as the browser asked for it: its method and header fields (hop-by-hop fields, <c>Host</c>,
    /// <c>Accept-Encoding</c> and HTTP/2 pseudo-fields dropped), then <c>Host</c>, <c>Accept-Encoding: gzip, deflate,
    /// br</c> and <c>Connection: close</c>, and the body with its <c>Content-Length</c>.
    /// </summary>
    public static byte[] BuildRequest(Uri url, string method, IEnumerable<KeyValuePair<string, string>> fields, byte[] body)
    {
        var request = new StringBuilder()
            .Append(method).Append(' ').Append(url.PathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(HostField(url)).Append("\r\n");
        foreach (var (name, value) in fields)
        {
            if (name.Length == 0 || name[0] == ':' || DroppedFromBrowser.Contains(name) || name.Any(c => c is <= ' ' or > '~' or ':')
                || value.Any(c => c is '\r' or '\n' or > '\u00ff'))
            {
                continue;
            }

            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        request.Append("Accept-Encoding: gzip, deflate, br\r\n");
        if (body.Length > 0 || method is "POST" or "PUT" or "PATCH")
        {
            request.Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        request.Append("Connection: close\r\n\r\n");
        return [.. Encoding.Latin1.GetBytes(request.ToString()), .. body];
    }

    private static string HostField(Uri url)
    {
        var host = url.IsDefaultPort ? url.IdnHost : $"{url.IdnHost}:{url.Port.ToString(CultureInfo.InvariantCulture)}";
        if (url.HostNameType == UriHostNameType.IPv6 && !host.StartsWith('['))
        {
            host = url.IsDefaultPort ? $"[{url.IdnHost}]" : $"[{url.IdnHost}]:{url.Port.ToString(CultureInfo.InvariantCulture)}";
        }

        return host;
    }

    private static readonly HashSet<string> DroppedFromBrowser = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "Transfer-Encoding", "TE", "Upgrade",
        "Content-Length", "Accept-Encoding", "Expect", "Trailer",
    };

    public static Task RunAsync(HopRecord hop, string userAgent, long maxResponseBytes, long maxRedirectBodyBytes, TimeProvider time, CancellationToken ct) =>
        RunAsync(hop, BuildRequest(hop.Url, userAgent), headOnly: false, maxResponseBytes, maxRedirectBodyBytes, time, ct);

    /// <summary>Sends <paramref name="request"/> (a whole HTTP/1.1 message) and reads the response; <paramref name="headOnly"/> for HEAD.</summary>
    public static async Task RunAsync(
        HopRecord hop, byte[] request, bool headOnly, long maxResponseBytes, long maxRedirectBodyBytes, TimeProvider time, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        double Elapsed() => time.GetElapsedTime(started).TotalMilliseconds;
        ResponseReader? reader = null;
        try
        {
            using var socket = new Socket(hop.Remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(hop.Remote, ct);
            }
            catch (SocketException e)
            {
                hop.Failure = new CaptureFailure(CaptureFailureReason.ConnectFailed, $"connecting to {Endpoint(hop)} failed: {e.SocketErrorCode} ({e.Message})");
                return;
            }

            hop.Timings.Connect = Elapsed();
            var network = new NetworkStream(socket, ownsSocket: false);
            SslStream? secure = null;
            await using (network)
            {
                Stream stream = network;
                if (hop.Url.Scheme == Uri.UriSchemeHttps)
                {
                    var tlsStarted = time.GetTimestamp();
                    var (ssl, failure) = await HandshakeAsync(stream, hop, ct);
                    if (failure is not null)
                    {
                        hop.Failure = failure;
                        return;
                    }

                    secure = ssl!;
                    stream = secure;
                    hop.Timings.Tls = time.GetElapsedTime(tlsStarted).TotalMilliseconds;
                }

                hop.Request = request;
                hop.RequestDate = time.GetUtcNow();
                await stream.WriteAsync(hop.Request, ct);
                await stream.FlushAsync(ct);
                reader = new ResponseReader(stream, maxResponseBytes, maxRedirectBodyBytes)
                {
                    HeadOnly = headOnly,
                    FirstByte = () =>
                    {
                        hop.Timings.FirstByte = Elapsed();
                        hop.ResponseDate = time.GetUtcNow();
                    },
                };
                var (head, payload) = await reader.ReadAsync(ct);
                hop.Head = head;
                hop.Payload = payload;
                hop.Response = reader.Raw;
                if (reader.Truncated)
                {
                    hop.Truncated = "length"; // a redirect's body cut at Capture:MaxRedirectBodyBytes; the capture goes on
                }

                if (secure is not null)
                {
                    await secure.DisposeAsync();
                }
            }
        }
        catch (ResponseTooLargeException)
        {
            KeepPartial(hop, reader, "length");
            hop.Failure = new CaptureFailure(CaptureFailureReason.TooLarge, string.Create(CultureInfo.InvariantCulture,
                $"the response from {hop.Url} is larger than the limit of {maxResponseBytes} bytes (Capture:MaxResponseBytes); the first {maxResponseBytes} bytes are recorded"));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            KeepPartial(hop, reader, "time");
            hop.Failure = new CaptureFailure(CaptureFailureReason.Timeout, $"the capture ran out of time (Capture:Timeout) while fetching {hop.Url}");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or SocketException)
        {
            KeepPartial(hop, reader, "disconnect");
            hop.Failure = new CaptureFailure(CaptureFailureReason.ProtocolError, $"fetching {hop.Url} from {Endpoint(hop)} failed: {e.Message}");
        }
        finally
        {
            hop.Timings.Total = Elapsed();
            reader?.Dispose();
        }
    }

    private static async Task<(SslStream? Stream, CaptureFailure? Failure)> HandshakeAsync(Stream stream, HopRecord hop, CancellationToken ct)
    {
        var tls = new TlsRecord();
        hop.Tls = tls;
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = hop.Url.IdnHost,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            // Revocation checks and certificate downloads would reach hosts the guard never checked.
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = new X509ChainPolicy { RevocationMode = X509RevocationMode.NoCheck, DisableCertificateDownloads = true },
            // A bad certificate is evidence too: the validation result is recorded, and the capture goes on.
#pragma warning disable CA5359 // accepts any certificate on purpose; nothing secret is sent and the result is recorded
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                tls.RecordValidation(certificate, chain, errors);
                return true;
            },
#pragma warning restore CA5359
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(options, ct);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            return (null, new CaptureFailure(CaptureFailureReason.TlsFailed, $"the TLS handshake with {Endpoint(hop)} for {hop.Url.IdnHost} failed: {e.Message}"));
        }

        tls.Protocol = ssl.SslProtocol.ToString();
        tls.CipherSuite = ssl.NegotiatedCipherSuite.ToString();
        tls.Alpn = ssl.NegotiatedApplicationProtocol.ToString();
        return (ssl, null);
    }

    private static void KeepPartial(HopRecord hop, ResponseReader? reader, string truncated)
    {
        if (reader is null)
        {
            return;
        }

        hop.Response = reader.Raw;
        if (hop.Response.Length > 0)
        {
            hop.Truncated = truncated;
            var end = HttpHead.FindEnd(hop.Response);
            if (end >= 0)
            {
                hop.Head = HttpHead.Parse(hop.Response.AsSpan(0, end));
                var body = hop.Response.AsSpan(end);
                byte[] payload;
                if (hop.Head.IsChunked)
                {
                    HttpHead.TryDechunk(body, out payload);
                }
                else
                {
                    payload = body.ToArray();
                }

                hop.Payload = payload;
            }
        }
    }

    private static string Endpoint(HopRecord hop) => hop.Remote.ToString();
}
