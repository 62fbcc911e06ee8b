using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Capture.Internal;
using EvidenceChain.Capture.Warc;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvidenceChain.Capture.Tests.Warc;

public sealed class WarcTests
{
    private static readonly byte[] ChunkedResponse = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");

    // RFC 4648 §10 test vectors.
    [Theory]
    [InlineData("", "")]
    [InlineData("f", "MY======")]
    [InlineData("fo", "MZXQ====")]
    [InlineData("foo", "MZXW6===")]
    [InlineData("foob", "MZXW6YQ=")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI======")]
    public void Base32_Rfc4648Vectors_EncodeAndDecode(string text, string expected)
    {
        Assert.Equal(expected, Base32.Encode(Encoding.ASCII.GetBytes(text)));
        Assert.True(Base32.TryDecode(expected, out var decoded));
        Assert.Equal(text, Encoding.ASCII.GetString(decoded));
    }

    [Property]
    public Property Base32_AnyBytes_RoundTrips() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i)).ToArbitrary(), bytes =>
            Base32.TryDecode(Base32.Encode(bytes), out var back) && back.AsSpan().SequenceEqual(bytes));

    [Fact]
    public void Format_Sha256_IsPrefixedPaddedBase32()
    {
        var digest = WarcDigests.Format("abc"u8);

        Assert.Equal("sha256:" + Base32.Encode(SHA256.HashData("abc"u8)), digest);
        Assert.Equal(7 + 56, digest.Length);
        Assert.True(WarcDigests.Matches(digest, "abc"u8));
        Assert.True(WarcDigests.Matches(digest.TrimEnd('='), "abc"u8));
        Assert.True(WarcDigests.Matches("sha256:" + Convert.ToHexStringLower(SHA256.HashData("abc"u8)), "abc"u8));
        Assert.False(WarcDigests.Matches(digest, "abd"u8));
        Assert.False(WarcDigests.Matches("sha1:" + digest[7..], "abc"u8));
    }

    [Fact]
    public void Payload_ChunkedHttpResponse_IsTheDechunkedBody()
    {
        var payload = WarcDigests.Payload(WarcFields.HttpResponseType, ChunkedResponse);

        Assert.Equal("hello, world", Encoding.ASCII.GetString(payload!));
        Assert.Null(WarcDigests.Payload("text/plain", ChunkedResponse));
    }

    [Fact]
    public async Task WriteThenRead_Records_RoundTripWithMatchingDigests()
    {
        var output = new MemoryStream();
        var writer = new WarcWriter(output);
        var id = WarcWriter.NewRecordId();
        var date = WarcWriter.FormatDate(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));
        await writer.WriteAsync([new(WarcFields.Type, "warcinfo"), new(WarcFields.RecordId, id), new(WarcFields.Date, date),
            new(WarcFields.ContentType, "application/warc-fields")], "software: test\r\n"u8.ToArray(), default);
        await writer.WriteAsync([new(WarcFields.Type, "response"), new(WarcFields.RecordId, WarcWriter.NewRecordId()), new(WarcFields.Date, date),
            new(WarcFields.TargetUri, "http://example.org/"), new(WarcFields.IpAddress, "93.184.216.34"), new(WarcFields.ContentType, WarcFields.HttpResponseType)],
            ChunkedResponse, default);
        await writer.WriteAsync([new(WarcFields.Type, "resource"), new(WarcFields.RecordId, WarcWriter.NewRecordId()), new(WarcFields.Date, date),
            new(WarcFields.TargetUri, "dns:example.org"), new(WarcFields.ContentType, "text/plain")], ReadOnlyMemory<byte>.Empty, default);

        var records = WarcReader.ReadAll(output.ToArray());

        Assert.Equal(["warcinfo", "response", "resource"], records.Select(r => r.Type));
        Assert.All(records, r => Assert.Equal("WARC/1.1", r.Version));
        Assert.Equal(id, records[0].RecordId);
        Assert.Matches("^<urn:uuid:[0-9a-f-]{36}>$", records[1].RecordId);
        Assert.Equal("2026-01-02T03:04:05.678Z", records[1].Get(WarcFields.Date));
        Assert.Equal(ChunkedResponse, records[1].Block.ToArray());
        Assert.Equal(ChunkedResponse.Length.ToString(), records[1].Get("content-length"));
        Assert.Equal(WarcDigests.Format("hello, world"u8), records[1].Get(WarcFields.PayloadDigest));
        Assert.Null(records[0].Get(WarcFields.PayloadDigest));
        Assert.All(records, r => Assert.True(WarcDigests.Verify(r).IsValid, r.Type));
    }

    [Fact]
    public async Task Verify_OneBlockByteChanged_FailsTheBlockDigest()
    {
        var output = new MemoryStream();
        await new WarcWriter(output).WriteAsync([new(WarcFields.Type, "response"), new(WarcFields.RecordId, WarcWriter.NewRecordId()),
            new(WarcFields.Date, "2026-01-01T00:00:00.000Z"), new(WarcFields.ContentType, WarcFields.HttpResponseType)], ChunkedResponse, default);
        var bytes = output.ToArray();
        var at = bytes.AsSpan().IndexOf("hello"u8);
        bytes[at] = (byte)'j';

        var check = WarcDigests.Verify(WarcReader.ReadAll(bytes)[0]);

        Assert.False(check.BlockMatches);
        Assert.False(check.PayloadMatches);
        Assert.False(check.IsValid);
    }

    [Fact]
    public void ReadAll_WrongContentLength_SaysWhere()
    {
        var bad = Encoding.ASCII.GetBytes("WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 10\r\n\r\nabc\r\n\r\n");

        var e = Assert.Throws<WarcFormatException>(() => WarcReader.ReadAll(bad));

        Assert.Contains("offset 0", e.Message);
    }

    [Fact]
    public async Task WriteAsync_FieldWithLineBreak_IsRefused()
    {
        var writer = new WarcWriter(new MemoryStream());

        var e = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync(
            [new(WarcFields.Type, "resource"), new(WarcFields.TargetUri, "http://x/\r\nWARC-Type: evil")], ReadOnlyMemory<byte>.Empty, default));

        Assert.Contains("WARC-Target-URI", e.Message);
    }
}
