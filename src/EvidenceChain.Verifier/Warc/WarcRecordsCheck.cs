using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core.Text;
using EvidenceChain.Verifier.Timestamps;

namespace EvidenceChain.Verifier.Warc;

/// <summary>
/// The <c>warc records</c> check: reads a capture's WARC as a stream and checks every record's
/// <c>WARC-Block-Digest</c> (required on every record) and <c>WARC-Payload-Digest</c> (required on request and
/// response records, whose blocks are <c>application/http</c>), as docs/formats.md §9 says the node writes them.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. Untrusted input: heads are bounded (<see cref="WarcStreamReader.MaxHeadBytes"/>), so is
/// the number of records (<see cref="MaxRecords"/>), blocks are hashed as they stream and never held, and any fault
/// of the file is a failed result, never an exception (the stream's own errors and cancellation aside).
/// </remarks>
internal static class WarcRecordsCheck
{
    /// <summary>The most records read from one WARC (a capture writes a few dozen).</summary>
    public const int MaxRecords = 10_000;

    private const string BlockDigest = "WARC-Block-Digest";
    private const string PayloadDigest = "WARC-Payload-Digest";
    private const string TlsPrefix = "urn:evidencechain:tls:";
    private const int MaxTlsBlockBytes = 256 << 10;
    private const int MaxTlsRecords = 64;
    private const int MaxTypesShown = 8;

    /// <summary>What the check found.</summary>
    /// <param name="Passed">True when every record was read and every digest matched.</param>
    /// <param name="Detail">The counts, or the first bad record and why.</param>
    /// <param name="Tls">The TLS record of the final URL, when there is one and it could be read.</param>
    public sealed record Result(bool Passed, string Detail, CapturedTls? Tls);

    /// <summary>Checks the WARC read from <paramref name="source"/> (named <paramref name="name"/> in messages).</summary>
    public static async Task<Result> CheckAsync(Stream source, string name, CancellationToken cancellationToken)
    {
        var reader = new WarcStreamReader(source);
        if (await reader.PeekAsync(cancellationToken) == 0x1f)
        {
            return new Result(false, $"{name} is gzip-compressed; the node writes uncompressed WARC/1.1 (docs/formats.md §9), and only that is read", null);
        }

        var types = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int records = 0, blockDigests = 0, payloadDigests = 0, bad = 0;
        string? firstBad = null;
        string? finalUrl = null;
        var tls = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            while (await reader.ReadHeadAsync(cancellationToken) is { } head)
            {
                if (records == MaxRecords)
                {
                    throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"more than {MaxRecords} records, the most read from one WARC"));
                }

                records++;
                var record = await CheckRecordAsync(reader, head, records, cancellationToken);
                types[record.Type] = types.GetValueOrDefault(record.Type) + 1;
                blockDigests += record.BlockChecked ? 1 : 0;
                payloadDigests += record.PayloadChecked ? 1 : 0;
                if (record.Problem is not null)
                {
                    bad++;
                    firstBad ??= record.Problem;
                }

                if (record.Type == "response" && head.Get("WARC-Target-URI") is { } target)
                {
                    finalUrl = target;
                }

                // One capture has a TLS record per https hop; a bound keeps a hostile WARC from filling memory with them.
                if (record.TlsBlock is not null && head.Get("WARC-Target-URI") is { } tlsTarget && (tls.Count < MaxTlsRecords || tls.ContainsKey(tlsTarget[TlsPrefix.Length..])))
                {
                    tls[tlsTarget[TlsPrefix.Length..]] = record.TlsBlock;
                }
            }
        }
        catch (FormatException e)
        {
            // A fault inside a record names it; one between records names the record that should have started there.
            var inRecord = e.Data.Contains(InRecord);
            var matched = (inRecord ? records - 1 : records) - bad;
            var where = inRecord ? $"{e.Message} in {name}" : string.Create(CultureInfo.InvariantCulture, $"record {records + 1} of {name}: {e.Message}");
            return new Result(false, string.Create(CultureInfo.InvariantCulture, $"{where}; {matched} record(s) before it matched{(bad > 0 ? $", {bad} did not (the first: {firstBad})" : string.Empty)}"), null);
        }

        var summary = string.Join(", ", types.Take(MaxTypesShown).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Value} {UntrustedText.Printable(t.Key, 20)}")))
            + (types.Count > MaxTypesShown ? string.Create(CultureInfo.InvariantCulture, $", {types.Count - MaxTypesShown} other type(s)") : string.Empty);
        if (records == 0)
        {
            return new Result(false, $"{name} is empty: a capture's WARC holds at least its warcinfo record", null);
        }

        if (firstBad is not null)
        {
            return new Result(false, string.Create(CultureInfo.InvariantCulture, $"{bad} of {records} records do not match; the first: {firstBad}"), null);
        }

        var captured = finalUrl is not null && tls.TryGetValue(finalUrl, out var block) ? ReadTls(finalUrl, block) : null;
        var tlsText = captured is null ? string.Empty : $"; TLS for {UntrustedText.Printable(captured.Url, 120)}: subject {UntrustedText.Printable(captured.Subject, 120)}, issuer {UntrustedText.Printable(captured.Issuer, 120)}";
        return new Result(true, string.Create(CultureInfo.InvariantCulture,
            $"{records} records ({summary}) in {name}: {blockDigests} WARC-Block-Digest and {payloadDigests} WARC-Payload-Digest match{tlsText}"), captured);
    }

    /// <summary>Marks a format fault found inside the record just counted (not before the next one).</summary>
    private const string InRecord = "in-record";

    private static async Task<RecordResult> CheckRecordAsync(WarcStreamReader reader, WarcHead head, int number, CancellationToken cancellationToken)
    {
        var type = head.Get("WARC-Type") ?? "(no WARC-Type)";
        var id = head.Get("WARC-Record-ID") ?? "(no WARC-Record-ID)";
        var target = head.Get("WARC-Target-URI");
        var who = string.Create(CultureInfo.InvariantCulture,
            $"record {number} ({UntrustedText.Printable(type, 20)} {UntrustedText.Printable(id, 60)}{(target is null ? string.Empty : " " + UntrustedText.Printable(target, 100))}, offset {head.Offset})");
        var lengthText = head.Get("Content-Length");
        if (head.Count("Content-Length") != 1 || lengthText is null || lengthText.Length is 0 or > 18 || !lengthText.All(char.IsAsciiDigit))
        {
            throw Fault($"{who}: Content-Length must be given once, as a number (found \"{UntrustedText.Printable(lengthText, 30)}\")");
        }

        var length = long.Parse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture);
        var isHttp = head.Get("Content-Type")?.StartsWith("application/http", StringComparison.OrdinalIgnoreCase) == true;
        string? problem = null;
        var block = Expect(head, BlockDigest, required: true, ref problem, who);
        var payload = Expect(head, PayloadDigest, required: isHttp, ref problem, who);

        using var blockHash = block?.CreateHash();
        using var payloadHash = payload?.CreateHash();
        var payloadReader = payloadHash is null || !isHttp ? null : new HttpPayload(bytes => payloadHash.AppendData(bytes));
        var keepTls = type == "resource" && target is not null && target.StartsWith(TlsPrefix, StringComparison.Ordinal) && length <= MaxTlsBlockBytes;
        var tlsBlock = keepTls ? new MemoryStream((int)length) : null;
        var read = await reader.ReadBlockAsync(length, piece =>
        {
            blockHash?.AppendData(piece.Span);
            if (payloadReader is not null)
            {
                payloadReader.Append(piece.Span);
            }
            else
            {
                payloadHash?.AppendData(piece.Span);
            }

            tlsBlock?.Write(piece.Span);
        }, cancellationToken);
        if (read < length)
        {
            throw Fault(string.Create(CultureInfo.InvariantCulture, $"{who}: the file ends {read} bytes into its {length}-byte block: the WARC is truncated"));
        }

        try
        {
            await reader.ReadRecordEndAsync(cancellationToken);
        }
        catch (FormatException e)
        {
            throw Fault($"{who}: {e.Message}");
        }

        if (block is not null && blockHash is not null && problem is null)
        {
            problem = Compare(who, BlockDigest, "block", block, blockHash);
        }

        if (payload is not null && payloadHash is not null && problem is null)
        {
            problem = payloadReader is { HeadTooLong: true }
                ? string.Create(CultureInfo.InvariantCulture, $"{who}: its HTTP head is longer than {HttpPayload.MaxHeadBytes} bytes, so the payload cannot be found")
                : Compare(who, PayloadDigest, "payload", payload, payloadHash);
        }

        return new RecordResult(type, block is not null, payload is not null, problem, problem is null ? tlsBlock?.ToArray() : null);
    }

    private static WarcDigest? Expect(WarcHead head, string field, bool required, ref string? problem, string who)
    {
        var count = head.Count(field);
        if (count == 0)
        {
            problem ??= required ? $"{who}: no {field}, which the node writes on {(field == BlockDigest ? "every record" : "every request and response")}" : null;
            return null;
        }

        if (count > 1)
        {
            problem ??= $"{who}: {field} is given {count} times";
            return null;
        }

        var text = head.Get(field)!;
        var digest = WarcDigest.TryParse(text, out var why);
        problem ??= digest is null ? $"{who}: {field} \"{UntrustedText.Printable(text, 80)}\" {why}" : null;
        return digest;
    }

    private static string? Compare(string who, string field, string what, WarcDigest expected, IncrementalHash hash)
    {
        var actual = hash.GetHashAndReset();
        return CryptographicOperations.FixedTimeEquals(actual, expected.Expected.Span)
            ? null
            : $"{who}: {field} {UntrustedText.Printable(expected.Text, 80)}, but the {what} hashes to {expected.Format(actual)}";
    }

    private static FormatException Fault(string message)
    {
        var e = new FormatException(message);
        e.Data[InRecord] = true;
        return e;
    }

    /// <summary>The server certificate of a TLS record's block: summary lines, a blank line, then PEM certificates, the server's first.</summary>
    private static CapturedTls? ReadTls(string url, byte[] block)
    {
        var text = Encoding.UTF8.GetString(block);
        var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (blank < 0)
        {
            return null;
        }

        var lines = text[..blank].Split('\n');
        string? Line(string name) => lines.FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal))?[(name.Length + 2)..];
        try
        {
            var certificates = TimestampVerifier.ReadPem(text[(blank + 2)..]);
            return certificates.Count == 0
                ? null
                : new CapturedTls(url, Line("protocol") ?? string.Empty, certificates[0].Subject, certificates[0].Issuer, Line("chain-validated") == "true");
        }
        catch (CryptographicException)
        {
            return null; // the digests matched, so this is what the node recorded; there is just no certificate to show
        }
    }

    private sealed record RecordResult(string Type, bool BlockChecked, bool PayloadChecked, string? Problem, byte[]? TlsBlock);
}
