using System.Security.Cryptography;
using EvidenceChain.Capture.Internal;

namespace EvidenceChain.Capture.Warc;

/// <summary>
/// WARC digests: <c>sha256:</c> followed by the RFC 4648 base32 of the SHA-256, as written; base32 (padded or not)
/// or hex as read. The payload of an <c>application/http</c> block is its body with any chunked transfer coding
/// removed and any content coding kept (ISO 28500:2017 §5.9).
/// </summary>
internal static class WarcDigests
{
    private const string Prefix = "sha256:";

    /// <summary>The WARC digest of <paramref name="data"/>.</summary>
    public static string Format(ReadOnlySpan<byte> data) => Prefix + Base32.Encode(SHA256.HashData(data));

    /// <summary>True when <paramref name="digest"/> (sha256, base32 or hex) is the digest of <paramref name="data"/>.</summary>
    public static bool Matches(string digest, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !digest[..colon].Replace("-", string.Empty, StringComparison.Ordinal).Equals("sha256", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var value = digest[(colon + 1)..];
        byte[] expected;
        if (value.Length == 64 && value.All(char.IsAsciiHexDigit))
        {
            expected = Convert.FromHexString(value);
        }
        else if (!Base32.TryDecode(value, out expected))
        {
            return false;
        }

        return expected.AsSpan().SequenceEqual(SHA256.HashData(data));
    }

    /// <summary>
    /// The payload of a block of <paramref name="contentType"/>: for <c>application/http</c>, the body after the head
    /// with chunked transfer coding removed; otherwise null (the block has no separate payload).
    /// </summary>
    public static byte[]? Payload(string? contentType, ReadOnlySpan<byte> block)
    {
        if (contentType is null || !contentType.StartsWith("application/http", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var end = HttpHead.FindEnd(block);
        if (end < 0)
        {
            return [];
        }

        var head = HttpHead.Parse(block[..end]);
        var body = block[end..];
        if (head.IsChunked)
        {
            HttpHead.TryDechunk(body, out var payload);
            return payload;
        }

        return body.ToArray();
    }

    /// <summary>Checks a record's block digest and, when it has one, its payload digest.</summary>
    public static WarcDigestCheck Verify(WarcRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var block = record.Get(WarcFields.BlockDigest) is { } b ? Matches(b, record.Block.Span) : (bool?)null;
        bool? payload = null;
        if (record.Get(WarcFields.PayloadDigest) is { } p)
        {
            payload = Payload(record.Get(WarcFields.ContentType), record.Block.Span) is { } bytes && Matches(p, bytes);
        }

        return new WarcDigestCheck(record.RecordId, block, payload);
    }
}
