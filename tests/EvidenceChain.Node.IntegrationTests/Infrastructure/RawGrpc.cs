using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace EvidenceChain.Node.IntegrationTests.Infrastructure;

/// <summary>
/// gRPC calls built by hand over HTTP/2, for what a well-behaved client never sends: compressed bombs, malformed
/// protobuf, truncated frames.
/// </summary>
public static class RawGrpc
{
    /// <summary>The gzip of 1 GiB of zeros (about 1 MB), built once by streaming: 1 GiB is never in memory.</summary>
    public static readonly Lazy<byte[]> GzipBomb = new(() => Gzip(1L << 30));

    /// <summary>A gRPC length-prefixed message: flag, 4-byte big-endian length, bytes.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> message, bool compressed = false)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame.AsSpan(5));
        return frame;
    }

    /// <summary>Gzip of <paramref name="zeros"/> zero bytes, written in 1 MiB pieces.</summary>
    public static byte[] Gzip(long zeros)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var block = new byte[1 << 20];
            for (var left = zeros; left > 0; left -= block.Length)
            {
                gzip.Write(block, 0, (int)Math.Min(left, block.Length));
            }
        }

        return output.ToArray();
    }

    /// <summary>
    /// Posts <paramref name="body"/> (gRPC frames) to <paramref name="method"/> (e.g. <c>evidencechain.v1.LogService/GetCheckpoint</c>)
    /// and returns the call's status from the trailers (or the headers of a trailers-only reply).
    /// </summary>
    public static async Task<Status> CallAsync(Uri grpcAddress, string method, HttpContent body, string? bearer = null, string? encoding = null)
    {
        using var handler = new SocketsHttpHandler();
        using var client = new HttpClient(handler) { BaseAddress = grpcAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + method)
        {
            Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = body,
        };
        body.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.ReadAsByteArrayAsync();
        return ReadStatus(response);
    }

    private static Status ReadStatus(HttpResponseMessage response)
    {
        string? Get(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var t) ? t.FirstOrDefault()
            : response.Headers.TryGetValues(name, out var h) ? h.FirstOrDefault() : null;

        var code = Get("grpc-status") ?? throw new InvalidOperationException($"No grpc-status in the reply (HTTP {(int)response.StatusCode}).");
        var message = Uri.UnescapeDataString(Get("grpc-message") ?? string.Empty);
        return new Status((StatusCode)int.Parse(code, System.Globalization.CultureInfo.InvariantCulture), message);
    }
}
