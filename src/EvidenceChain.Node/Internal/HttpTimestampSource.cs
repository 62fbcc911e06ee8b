using System.Net.Http.Headers;
using System.Security.Cryptography;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Verifier.Timestamps;
using Org.BouncyCastle.Tsp;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// An external RFC 3161 TSA over HTTP (RFC 3161 §3.4): POSTs an application/timestamp-query with a fresh nonce
/// and certReq, and accepts only a granted response whose token matches the request (imprint, nonce) and whose
/// signature verifies under the certificate it carries, checked by the verifier's code. Chaining that certificate to a trusted CA is the
/// verifier's job; the receipt carries the chain.
/// </summary>
/// <remarks>
/// <para>Thread-safe. The URL's user information, if any, is never shown in <see cref="Name"/>.</para>
/// <para>
/// It lives in the Node, not the Ledger: the Ledger does no network I/O (DESIGN.md §1) and only knows the
/// <see cref="ITimestampSource"/> port; <see cref="NodeTimestamping"/> plugs this source in when Timestamping:Url is set.
/// </para>
/// </remarks>
internal sealed class HttpTimestampSource : ITimestampSource
{
    private const int MaxResponseBytes = 256 * 1024;
    private readonly HttpClient _http;
    private readonly Uri _url;

    /// <summary>Creates the source; the caller owns <paramref name="http"/>.</summary>
    /// <exception cref="ArgumentException">The URL is not absolute http or https.</exception>
    public HttpTimestampSource(HttpClient http, Uri url)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Timestamping:Url must be an absolute http or https URL; got \"{url}\".", nameof(url));
        }

        _http = http;
        _url = url;
        Name = new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri.GetLeftPart(UriPartial.Path);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public async Task<byte[]> TimestampAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var generator = new TimeStampRequestGenerator();
        generator.SetCertReq(true);
        var request = generator.Generate(TspAlgorithms.Sha256, SHA256.HashData(data.Span), new BigInteger(1, RandomNumberGenerator.GetBytes(8)));
        using var content = new ByteArrayContent(request.GetEncoded());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        byte[] body;
        try
        {
            using var reply = await _http.PostAsync(_url, content, cancellationToken);
            if (!reply.IsSuccessStatusCode)
            {
                throw new TimestampException($"{Name} answered HTTP {(int)reply.StatusCode} {reply.ReasonPhrase}");
            }

            if (reply.Content.Headers.ContentLength > MaxResponseBytes)
            {
                throw new TimestampException($"{Name} sent {reply.Content.Headers.ContentLength} bytes; a TimeStampResp is at most {MaxResponseBytes}");
            }

            body = await ReadBoundedAsync(reply.Content, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            // Unreachable (refused, DNS, TLS): the port's TimestampException, with the message the timestamper reports as is.
            throw new TimestampException(e.Message, e);
        }

        // The reply comes from the network (often plain http): anything malformed in it is a bad answer, reported as
        // such by the verifier, never a crash of the caller.
        Check(request, data, body);
        return body;
    }

    /// <summary>
    /// The answer is granted and its token is over this request's imprint with its nonce, signed by the certificate
    /// it carries, which has the time-stamping profile: the verifier's own checks (<see cref="TimestampVerifier"/>),
    /// all but the chain to a CA.
    /// </summary>
    private void Check(TimeStampRequest request, ReadOnlyMemory<byte> data, byte[] body)
    {
        var result = TimestampVerifier.VerifyResponseSignature(body, data.Span);
        var nonce = Convert.ToHexStringLower(request.Nonce.ToByteArray());
        switch (result.Failure)
        {
            case TimestampFailure.None when result.Info is { HashAlgorithm: "SHA256" } info && info.Nonce == nonce:
                return;
            case TimestampFailure.None:
                throw new TimestampException($"{Name}'s token does not match the request: imprint {result.Info?.HashAlgorithm}, nonce {result.Info?.Nonce ?? "none"} (sent SHA256, nonce {nonce})");
            case TimestampFailure.NotGranted:
                throw new TimestampException($"{Name} did not grant the request: {result.Message}");
            case TimestampFailure.Malformed:
                throw new TimestampException($"{Name} did not send a valid TimeStampResp: {result.Message}");
            case TimestampFailure.ImprintMismatch:
                throw new TimestampException($"{Name}'s token does not match the request: {result.Message}");
            case TimestampFailure.SignerCertificateNotFound:
                throw new TimestampException($"{Name}'s token does not carry its signer's certificate although the request asked for it");
            default:
                throw new TimestampException($"{Name}'s token signature does not verify: {result.Message}");
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new TimestampException($"the answer is larger than {MaxResponseBytes} bytes, too large for a TimeStampResp");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
