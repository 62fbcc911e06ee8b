using System.Text;

namespace EvidenceChain.Capture.Internal;

/// <summary>
/// The head of an HTTP/1.x message (start line and header fields), parsed leniently from raw bytes: what was on the
/// wire is recorded as it was, and only the fields that frame the body or steer the capture are read.
/// </summary>
internal sealed class HttpHead
{
    private HttpHead(string startLine, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        StartLine = startLine;
        Fields = fields;
    }

    public string StartLine { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    /// <summary>The status code of a response's start line, or 0 when it is not <c>HTTP/x.y NNN ...</c>.</summary>
    public int StatusCode
    {
        get
        {
            var parts = StartLine.Split(' ', 3);
            return parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal) && parts[1].Length == 3
                && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
                ? code : 0;
        }
    }

    /// <summary>True when the message body is chunked (the last transfer coding is <c>chunked</c>).</summary>
    public bool IsChunked =>
        Get("Transfer-Encoding") is { } te && te.Split(',').Last().Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase);

    /// <summary>The Content-Length, or null when absent or malformed.</summary>
    public long? ContentLength =>
        Get("Content-Length") is { } v && long.TryParse(v.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n : null;

    /// <summary>The first field named <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Get(string name)
    {
        foreach (var (key, value) in Fields)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Where the head ends (just after its blank line) in <paramref name="data"/>, or -1 when it does not.</summary>
    public static int FindEnd(ReadOnlySpan<byte> data)
    {
        var crlf = data.IndexOf("\r\n\r\n"u8);
        var lf = data.IndexOf("\n\n"u8);
        return (crlf, lf) switch
        {
            (< 0, < 0) => -1,
            (>= 0, < 0) => crlf + 4,
            (< 0, >= 0) => lf + 2,
            _ => Math.Min(crlf + 4, lf + 2),
        };
    }

    /// <summary>Parses a head (bytes up to and including the blank line). Field values are read as Latin-1.</summary>
    public static HttpHead Parse(ReadOnlySpan<byte> head)
    {
        var text = Encoding.Latin1.GetString(head);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0)
            {
                break;
            }

            if (line[0] is ' ' or '\t' && fields.Count > 0)
            {
                var last = fields[^1];
                fields[^1] = KeyValuePair.Create(last.Key, last.Value + " " + line.Trim()); // obsolete line folding
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields.Add(KeyValuePair.Create(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        return new HttpHead(lines.Count > 0 ? lines[0] : string.Empty, fields);
    }

    /// <summary>
    /// Removes chunked transfer coding from a complete body, ignoring chunk extensions and trailers. Returns false
    /// (with what could be decoded) when the body is not well-formed chunked data.
    /// </summary>
    public static bool TryDechunk(ReadOnlySpan<byte> body, out byte[] payload)
    {
        var output = new MemoryStream();
        var pos = 0;
        while (true)
        {
            var lineEnd = body[pos..].IndexOf((byte)'\n');
            if (lineEnd < 0)
            {
                payload = output.ToArray();
                return false;
            }

            var line = Encoding.ASCII.GetString(body.Slice(pos, lineEnd)).TrimEnd('\r');
            var semicolon = line.IndexOf(';', StringComparison.Ordinal);
            var sizeText = (semicolon >= 0 ? line[..semicolon] : line).Trim();
            if (!long.TryParse(sizeText, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                payload = output.ToArray();
                return false;
            }

            pos += lineEnd + 1;
            if (size == 0)
            {
                payload = output.ToArray();
                return true; // trailers, if any, are not payload
            }

            if (size > body.Length - pos)
            {
                output.Write(body[pos..]);
                payload = output.ToArray();
                return false;
            }

            output.Write(body.Slice(pos, (int)size));
            pos += (int)size;
            if (body[pos..].StartsWith("\r\n"u8))
            {
                pos += 2;
            }
            else if (body[pos..].StartsWith("\n"u8))
            {
                pos += 1;
            }
        }
    }
}
