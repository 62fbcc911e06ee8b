using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace EvidenceChain.Node.Certificates;

/// <summary>
/// The two things a certificate states from a capture's WARC (docs/formats.md §9): the page's last https hop's TLS record
/// (server certificate subject, issuer, validity, whether the chain validated) and the capture environment in one
/// line. Reads record headers and skips every other block; interesting blocks are read up to a bound.
/// </summary>
internal sealed record WarcSummary(string? Tls, string? Environment)
{
    public static async Task<WarcSummary> ReadAsync(Stream warc, long maxBlockBytes, CancellationToken cancellationToken)
    {
        string? lastTls = null, environment = null;
        IReadOnlyList<string> hops = [];
        var tlsByUrl = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new BufferedStream(warc, 64 * 1024);
        while (await ReadHeadersAsync(reader, cancellationToken) is { } headers)
        {
            var length = long.Parse(headers.GetValueOrDefault("content-length", "0"), NumberStyles.None, CultureInfo.InvariantCulture);
            var type = headers.GetValueOrDefault("warc-type", string.Empty);
            var target = headers.GetValueOrDefault("warc-target-uri", string.Empty);
            var wanted = (type == "resource" && target.StartsWith(TlsPrefix, StringComparison.Ordinal)) || type == "metadata";
            if (wanted && length <= maxBlockBytes)
            {
                var block = new byte[length];
                await reader.ReadExactlyAsync(block, cancellationToken);
                if (type == "metadata")
                {
                    environment = DescribeEnvironment(block);
                    hops = HopUrls(block);
                }
                else
                {
                    lastTls = DescribeTls(Encoding.UTF8.GetString(block));
                    if (tlsByUrl.Count < MaxTlsRecords)
                    {
                        tlsByUrl.TryAdd(target[TlsPrefix.Length..], lastTls);
                    }
                }
            }
            else
            {
                await SkipAsync(reader, length, cancellationToken);
            }

            await SkipAsync(reader, 4, cancellationToken); // the CRLF CRLF after each block
        }

        // The page's last https hop; the TLS records of the resources the browser needed (docs/formats.md §9) are not the page's.
        var tls = hops.Count == 0 ? lastTls : hops.Select(h => tlsByUrl.GetValueOrDefault(h)).LastOrDefault(t => t is not null);
        return new WarcSummary(tls, environment);
    }

    private const string TlsPrefix = "urn:evidencechain:tls:";
    private const int MaxTlsRecords = 1024;

    // The URLs of the page's own hops, from the environment record (capture.hops[].url); empty when not there.
    private static IReadOnlyList<string> HopUrls(byte[] block)
    {
        try
        {
            using var json = JsonDocument.Parse(block);
            return json.RootElement.TryGetProperty("capture", out var capture) && capture.ValueKind == JsonValueKind.Object
                && capture.TryGetProperty("hops", out var hops) && hops.ValueKind == JsonValueKind.Array
                ? [.. hops.EnumerateArray().Where(h => h.ValueKind == JsonValueKind.Object && h.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String)
                    .Select(h => h.GetProperty("url").GetString()!)]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string DescribeTls(string block)
    {
        var fields = block.Split('\n').TakeWhile(l => l.Length > 0).Select(l => l.Split(": ", 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
        var validated = fields.GetValueOrDefault("chain-validated") == "true" ? "validated 已验证" : "NOT validated 未通过验证";
        var line = $"{fields.GetValueOrDefault("protocol", "?")}, {validated}";
        var begin = block.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal);
        if (begin < 0)
        {
            return line;
        }

        try
        {
            using var leaf = X509Certificate2.CreateFromPem(block.AsSpan(begin));
            return string.Create(CultureInfo.InvariantCulture,
                $"{line}\nsubject {leaf.Subject}\nissuer {leaf.Issuer}\nvalid {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'} – {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'}");
        }
        catch (CryptographicException)
        {
            return line + "\n(the server certificate in the record does not parse)";
        }
    }

    private static string? DescribeEnvironment(byte[] block)
    {
        try
        {
            using var json = JsonDocument.Parse(block);
            var root = json.RootElement;
            string Get(string a, string b) =>
                root.TryGetProperty(a, out var o) && o.ValueKind == JsonValueKind.Object && o.TryGetProperty(b, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "?";
            var browser = root.TryGetProperty("parameters", out var p) && p.TryGetProperty("browser", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : "?";
            browser = browser.Split(';')[0]; // its switches are in the record, too long for one line
            var agent = root.TryGetProperty("userAgent", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : "?";
            return $"{Get("software", "name")}/{Get("software", "version")} on {Get("operatingSystem", "description")} ({Get("operatingSystem", "architecture")}), {Get("software", "runtime")}; browser {browser}; user agent \"{agent}\"; resolver {Get("resolver", "description")}";
        }
        catch (JsonException)
        {
            return "(the environment record is not JSON)";
        }
    }

    // Headers of the next record as lower-case names; null at the end of the file.
    private static async Task<Dictionary<string, string>?> ReadHeadersAsync(Stream stream, CancellationToken cancellationToken)
    {
        string? first;
        do
        {
            first = await ReadLineAsync(stream, cancellationToken);
            if (first is null)
            {
                return null;
            }
        }
        while (first.Length == 0);

        if (!first.StartsWith("WARC/", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"capture.warc: expected a WARC record, got \"{first[..Math.Min(first.Length, 40)]}\".");
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await ReadLineAsync(stream, cancellationToken) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
        }

        return headers;
    }

    private static async Task<string?> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = new List<byte>(128);
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return line.Count == 0 ? null : Encoding.UTF8.GetString([.. line]);
            }

            if (one[0] == (byte)'\n')
            {
                if (line.Count > 0 && line[^1] == (byte)'\r')
                {
                    line.RemoveAt(line.Count - 1);
                }

                return Encoding.UTF8.GetString([.. line]);
            }

            if (line.Count > 64 * 1024)
            {
                throw new InvalidDataException("capture.warc: a header line is longer than 64 KiB.");
            }

            line.Add(one[0]);
        }
    }

    private static async Task SkipAsync(Stream stream, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (count > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
            if (read == 0)
            {
                return;
            }

            count -= read;
        }
    }
}
