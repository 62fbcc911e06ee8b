using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EvidenceChain.Capture.Internal;
using EvidenceChain.Capture.Warc;
using EvidenceChain.Verifier.Warc;
using FsCheck;
using FsCheck.Xunit;

namespace EvidenceChain.Verifier.Tests.Warc;

/// <summary>
/// The <c>warc records</c> check on WARCs written by the node's own WARC writer (EvidenceChain.Capture): a capture's
/// records, then each kind of damage.
/// </summary>
public sealed class WarcRecordsCheckTests
{
    private const string Body = "<html><body>evidence: 1,000 EUR paid</body></html>";

    private static readonly Lazy<byte[]> Capture = new(() => WriteCapture().GetAwaiter().GetResult());

    /// <summary>warcinfo, dns, request, chunked response, TLS, metadata: what a capture of an https page writes.</summary>
    internal static async Task<byte[]> WriteCapture()
    {
        using var output = new MemoryStream();
        var writer = new WarcWriter(output);
        const string Url = "https://shop.example/offer";
        var date = WarcWriter.FormatDate(DateTimeOffset.UnixEpoch.AddDays(20000));
        await writer.WriteAsync(Fields("warcinfo", date, null, "application/warc-fields"), Encoding.UTF8.GetBytes("software: EvidenceChain\r\nformat: WARC File Format 1.1\r\n"), default);
        await writer.WriteAsync(Fields("resource", date, "dns:shop.example", "text/plain; charset=utf-8"), Encoding.UTF8.GetBytes("host: shop.example\nused: 127.0.0.1\n"), default);
        await writer.WriteAsync(Fields("request", date, Url, WarcFields.HttpRequestType), Encoding.ASCII.GetBytes("GET /offer HTTP/1.1\r\nHost: shop.example\r\n\r\n"), default);
        var chunked = $"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n{Body.Length - 10:x}\r\n{Body[..^10]}\r\na;ext=1\r\n{Body[^10..]}\r\n0\r\n\r\n";
        await writer.WriteAsync(Fields("response", date, Url, WarcFields.HttpResponseType), Encoding.ASCII.GetBytes(chunked), default);
        var tls = new TlsRecord { Protocol = "Tls13", CipherSuite = "TLS_AES_128_GCM_SHA256", Alpn = "http/1.1" };
        tls.ServerCertificatesPem.Add(Certificate("CN=shop.example", "CN=Example Issuing CA"));
        await writer.WriteAsync(Fields("resource", date, "urn:evidencechain:tls:" + Url, "text/plain; charset=utf-8"), tls.ToBlock(), default);
        await writer.WriteAsync(Fields("metadata", date, Url, "application/json"), Encoding.UTF8.GetBytes("{\"software\":\"EvidenceChain\"}"), default);
        return output.ToArray();
    }

    private static List<KeyValuePair<string, string>> Fields(string type, string date, string? target, string contentType)
    {
        List<KeyValuePair<string, string>> fields = [new(WarcFields.Type, type), new(WarcFields.RecordId, WarcWriter.NewRecordId()), new(WarcFields.Date, date)];
        if (target is not null)
        {
            fields.Add(new(WarcFields.TargetUri, target));
        }

        fields.Add(new(WarcFields.ContentType, contentType));
        return fields;
    }

    private static string Certificate(string subject, string issuer)
    {
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var signed = request.Create(new X500DistinguishedName(issuer), X509SignatureGenerator.CreateForECDsa(issuerKey), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90), [1, 2, 3]);
        return signed.ExportCertificatePem();
    }

    private static Task<WarcRecordsCheck.Result> CheckAsync(byte[] warc) => WarcRecordsCheck.CheckAsync(new MemoryStream(warc, writable: false), "capture.warc", default);

    private static byte[] Replace(byte[] warc, string from, string to)
    {
        var text = Encoding.Latin1.GetString(warc);
        Assert.Contains(from, text, StringComparison.Ordinal);
        var at = text.IndexOf(from, StringComparison.Ordinal);
        return Encoding.Latin1.GetBytes(text[..at] + to + text[(at + from.Length)..]);
    }

    [Fact]
    public async Task CheckAsync_NodeWrittenCapture_PassesWithCountsAndTheTlsCertificate()
    {
        var result = await CheckAsync(Capture.Value);

        Assert.True(result.Passed, result.Detail);
        Assert.StartsWith("6 records (1 metadata, 1 request, 2 resource, 1 response, 1 warcinfo) in capture.warc: 6 WARC-Block-Digest and 2 WARC-Payload-Digest match", result.Detail, StringComparison.Ordinal);
        Assert.NotNull(result.Tls);
        Assert.Equal("https://shop.example/offer", result.Tls.Url);
        Assert.Equal("CN=shop.example", result.Tls.Subject);
        Assert.Equal("CN=Example Issuing CA", result.Tls.Issuer);
        Assert.Equal("Tls13", result.Tls.Protocol);
        Assert.Contains("subject CN=shop.example, issuer CN=Example Issuing CA", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_PayloadByteFlipped_FailsNamingTheResponseRecord()
    {
        var warc = Replace(Capture.Value, "1,000 EUR", "9,000 EUR");

        var result = await CheckAsync(warc);

        Assert.False(result.Passed);
        Assert.StartsWith("1 of 6 records do not match; the first: record 4 (response <urn:uuid:", result.Detail, StringComparison.Ordinal);
        Assert.Contains("https://shop.example/offer", result.Detail, StringComparison.Ordinal);
        Assert.Contains("WARC-Block-Digest sha256:", result.Detail, StringComparison.Ordinal);
        Assert.Contains("but the block hashes to sha256:", result.Detail, StringComparison.Ordinal);
        Assert.Null(result.Tls);
    }

    [Theory]
    [InlineData("WARC-Block-Digest: sha256:", "block")]
    [InlineData("WARC-Payload-Digest: sha256:", "payload")]
    public async Task CheckAsync_HeaderDigestChanged_FailsNamingTheRecordAndTheField(string field, string what)
    {
        var text = Encoding.Latin1.GetString(Capture.Value);
        var response = text.IndexOf("WARC-Type: response", StringComparison.Ordinal);
        var at = text.IndexOf(field, response, StringComparison.Ordinal) + field.Length;
        var warc = (byte[])Capture.Value.Clone();
        warc[at] = (byte)(warc[at] == 'A' ? 'B' : 'A');

        var result = await CheckAsync(warc);

        Assert.False(result.Passed);
        Assert.Contains("the first: record 4 (response", result.Detail, StringComparison.Ordinal);
        Assert.Contains($"{field.TrimEnd(' ', 's', 'h', 'a', '2', '5', '6', ':').TrimEnd(':')} sha256:", result.Detail, StringComparison.Ordinal);
        Assert.Contains($"but the {what} hashes to sha256:", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_ChunkedPayload_IsTheBodyWithoutItsFraming()
    {
        // The payload digest the node wrote is over the dechunked body: re-derive it independently.
        var text = Encoding.Latin1.GetString(Capture.Value);
        var response = text.IndexOf("WARC-Type: response", StringComparison.Ordinal);
        var field = "WARC-Payload-Digest: ";
        var start = text.IndexOf(field, response, StringComparison.Ordinal) + field.Length;
        var value = text[start..text.IndexOf('\r', start)];

        Assert.Equal("sha256:" + Base32.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(Body))), value);
        Assert.True((await CheckAsync(Capture.Value)).Passed);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(300)]
    [InlineData(700)]
    [InlineData(-3)]
    [InlineData(-1)]
    public async Task CheckAsync_Truncated_FailsCleanly(int cut)
    {
        var warc = Capture.Value[..(cut > 0 ? cut : Capture.Value.Length + cut)];

        var result = await CheckAsync(warc);

        Assert.False(result.Passed);
        Assert.Matches(@"truncated|not followed by CRLF CRLF", result.Detail);
        Assert.Matches(@"^record \d+ ", result.Detail);
    }

    [Fact]
    public async Task CheckAsync_Empty_Fails()
    {
        var result = await CheckAsync([]);

        Assert.False(result.Passed);
        Assert.Contains("empty", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_Gzip_FailsSayingWhy()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Capture.Value);
        }

        var result = await CheckAsync(compressed.ToArray());

        Assert.False(result.Passed);
        Assert.Contains("gzip-compressed", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_HugeHeadOrContentLength_FailsWithoutReadingItAll()
    {
        var head = Encoding.ASCII.GetBytes("WARC/1.1\r\nWARC-Type: resource\r\nX: " + new string('x', WarcStreamReader.MaxHeadBytes));
        var huge = Replace(Capture.Value, "Content-Length: ", "Content-Length: 99999999999");

        Assert.Contains("no end of a record head", (await CheckAsync(head)).Detail, StringComparison.Ordinal);
        var result = await CheckAsync(huge);
        Assert.False(result.Passed);
        Assert.Contains("truncated", result.Detail, StringComparison.Ordinal);
    }

    /// <summary>Random damage (flipped bytes, cuts, insertions) gives a result, never an exception; damage inside a block always fails.</summary>
    [Property(MaxTest = 300)]
    public void CheckAsync_RandomCorruption_NeverThrows_AndBlockDamageFails(PositiveInt seed)
    {
        var random = new Random(seed.Get);
        var warc = Capture.Value.ToList();
        var kind = random.Next(3);
        var at = random.Next(warc.Count);
        var blockDamage = false;
        switch (kind)
        {
            case 0:
                warc[at] ^= (byte)(1 << random.Next(8));
                blockDamage = InBlock(at);
                break;
            case 1:
                warc.RemoveRange(at, random.Next(1, Math.Min(200, warc.Count - at) + 1));
                break;
            default:
                warc.InsertRange(at, Enumerable.Range(0, random.Next(1, 40)).Select(_ => (byte)random.Next(256)));
                break;
        }

        var result = CheckAsync([.. warc]).GetAwaiter().GetResult();

        Assert.NotNull(result.Detail);
        Assert.True(!blockDamage || !result.Passed, $"seed {seed.Get}: a flipped block byte at {at} passed: {result.Detail}");
    }

    // True when offset is inside some record's block of the undamaged capture.
    private static bool InBlock(int offset)
    {
        var text = Encoding.Latin1.GetString(Capture.Value);
        var pos = 0;
        while (pos < text.Length)
        {
            var headEnd = text.IndexOf("\r\n\r\n", pos, StringComparison.Ordinal) + 4;
            var lengthAt = text.IndexOf("Content-Length: ", pos, StringComparison.Ordinal) + "Content-Length: ".Length;
            var length = int.Parse(text[lengthAt..text.IndexOf('\r', lengthAt)], System.Globalization.CultureInfo.InvariantCulture);
            if (offset >= headEnd && offset < headEnd + length)
            {
                return true;
            }

            pos = headEnd + length + 4;
        }

        return false;
    }
}
