using System.Globalization;
using System.Text;

namespace EvidenceChain.Capture.Warc;

/// <summary>
/// Writes WARC/1.1 records (ISO 28500:2017), uncompressed, one after another: version line, the given fields, then
/// WARC-Block-Digest, WARC-Payload-Digest for <c>application/http</c> blocks, Content-Length, the block and the
/// closing CRLF CRLF. Record ids are new <c>urn:uuid</c>s.
/// </summary>
/// <remarks>Not thread-safe: one writer. Does not own the stream.</remarks>
internal sealed class WarcWriter
{
    private readonly Stream _output;

    /// <summary>Creates a writer appending to <paramref name="output"/>.</summary>
    public WarcWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>A new record id, <c>&lt;urn:uuid:...&gt;</c>.</summary>
    public static string NewRecordId() => $"<urn:uuid:{Guid.NewGuid():D}>";

    /// <summary>Formats a WARC-Date: UTC, W3C date-time with milliseconds.</summary>
    public static string FormatDate(DateTimeOffset date) =>
        date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes one record. <paramref name="fields"/> must start with WARC-Type, WARC-Record-ID and WARC-Date and may
    /// not contain the digests or Content-Length, which are computed here. Field values may not contain line breaks.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<KeyValuePair<string, string>> fields, ReadOnlyMemory<byte> block, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var head = new StringBuilder(512).Append(WarcFields.Version).Append("\r\n");
        string? contentType = null;
        foreach (var (name, value) in fields)
        {
            if (name.Equals(WarcFields.BlockDigest, StringComparison.OrdinalIgnoreCase)
                || name.Equals(WarcFields.PayloadDigest, StringComparison.OrdinalIgnoreCase)
                || name.Equals(WarcFields.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"{name} is computed by the writer; do not pass it.", nameof(fields));
            }

            if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new ArgumentException($"The value of {name} contains a line break.", nameof(fields));
            }

            if (name.Equals(WarcFields.ContentType, StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }

            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append(WarcFields.BlockDigest).Append(": ").Append(WarcDigests.Format(block.Span)).Append("\r\n");
        if (WarcDigests.Payload(contentType, block.Span) is { } payload)
        {
            head.Append(WarcFields.PayloadDigest).Append(": ").Append(WarcDigests.Format(payload)).Append("\r\n");
        }

        head.Append(WarcFields.ContentLength).Append(": ").Append(block.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        await _output.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()), cancellationToken);
        await _output.WriteAsync(block, cancellationToken);
        await _output.WriteAsync("\r\n\r\n"u8.ToArray(), cancellationToken);
    }
}
