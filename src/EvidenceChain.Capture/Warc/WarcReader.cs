using System.Globalization;
using System.Text;

namespace EvidenceChain.Capture.Warc;

/// <summary>Reads uncompressed WARC/1.0 and WARC/1.1 files record by record. Thread-safe (stateless).</summary>
internal static class WarcReader
{
    private const int MaxHeadBytes = 1 << 20;

    /// <summary>Reads every record of <paramref name="warc"/>.</summary>
    /// <exception cref="WarcFormatException">The file is malformed; the message gives the offset.</exception>
    public static IReadOnlyList<WarcRecord> ReadAll(ReadOnlySpan<byte> warc)
    {
        var records = new List<WarcRecord>();
        var pos = 0;
        while (pos < warc.Length)
        {
            // Tolerate extra blank lines between records.
            while (pos < warc.Length && (warc[pos] == '\r' || warc[pos] == '\n'))
            {
                pos++;
            }

            if (pos >= warc.Length)
            {
                break;
            }

            var start = pos;
            var headEnd = warc[pos..].IndexOf("\r\n\r\n"u8);
            if (headEnd < 0 || headEnd > MaxHeadBytes)
            {
                throw new WarcFormatException($"Record at offset {start}: no end of header (CRLF CRLF) found.");
            }

            var lines = Encoding.UTF8.GetString(warc.Slice(pos, headEnd)).Split("\r\n");
            if (!lines[0].StartsWith("WARC/", StringComparison.Ordinal))
            {
                throw new WarcFormatException($"Record at offset {start}: expected a version line such as WARC/1.1, got \"{Shorten(lines[0])}\".");
            }

            var fields = new List<KeyValuePair<string, string>>();
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    throw new WarcFormatException($"Record at offset {start}: malformed field line \"{Shorten(line)}\".");
                }

                fields.Add(KeyValuePair.Create(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }

            var lengthText = fields.FirstOrDefault(f => f.Key.Equals(WarcFields.ContentLength, StringComparison.OrdinalIgnoreCase)).Value;
            if (!long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                throw new WarcFormatException($"Record at offset {start}: Content-Length is missing or not a number (\"{lengthText}\").");
            }

            pos += headEnd + 4;
            if (length > warc.Length - pos)
            {
                throw new WarcFormatException($"Record at offset {start}: Content-Length {length} runs past the end of the file ({warc.Length - pos} bytes left).");
            }

            var block = warc.Slice(pos, (int)length).ToArray();
            pos += (int)length;
            if (!warc[pos..].StartsWith("\r\n\r\n"u8))
            {
                throw new WarcFormatException($"Record at offset {start}: the block is not followed by CRLF CRLF (Content-Length wrong?).");
            }

            pos += 4;
            records.Add(new WarcRecord(lines[0], fields, block, start));
        }

        return records;
    }

    private static string Shorten(string s) => s.Length > 60 ? s[..60] + "..." : s;
}
