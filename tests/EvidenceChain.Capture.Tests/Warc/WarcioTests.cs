using System.Text.Json;
using EvidenceChain.Capture.Tests.Infrastructure;

namespace EvidenceChain.Capture.Tests.Warc;

/// <summary>Our WARC files, read by a standard WARC tool: the npm warcio package, with every digest checked.</summary>
public sealed class WarcioTests : IClassFixture<FixtureSite>
{
    private readonly FixtureSite _site;

    public WarcioTests(FixtureSite site) => _site = site;

    [WarcioFact]
    public async Task Warcio_CaptureWithRedirectTlsAndChunking_ReadsEveryRecordWithMatchingDigests()
    {
        using var capturer = Capturers.Create();
        var https = new Uri(_site.Https, "/chunked").AbsoluteUri;
        using var result = await capturer.CaptureAsync(_site.Url("/redirect-to?url=" + Uri.EscapeDataString(https)).AbsoluteUri, render: false, default);
        Assert.True(result.IsComplete, result.Failure?.Message);

        var report = await CheckAsync(result.Warc.Path);

        var records = report.GetProperty("records").EnumerateArray().ToList();
        Assert.True(report.GetProperty("ok").GetBoolean(), report.ToString());
        Assert.Equal(CaptureAssert.Consistent(result).Count, records.Count);
        Assert.Equal(2, records.Count(r => r.GetProperty("type").GetString() == "response"));
        Assert.All(records.Where(r => r.GetProperty("type").GetString() is "request" or "response"),
            r => Assert.True(r.GetProperty("payloadDigestMatches").GetBoolean()));
        Assert.Contains(records, r => r.GetProperty("httpStatus").ValueKind == JsonValueKind.Number && r.GetProperty("httpStatus").GetInt32() == 302);
    }

    [WarcioFact]
    public async Task Warcio_TamperedWarc_ReportsTheMismatch()
    {
        using var capturer = Capturers.Create();
        using var result = await capturer.CaptureAsync(_site.Url("/page.html").AbsoluteUri, render: false, default);
        var bytes = await File.ReadAllBytesAsync(result.Warc.Path);
        var at = bytes.AsSpan().IndexOf("The served text."u8);
        bytes[at] = (byte)'t';
        var tampered = Path.Combine(result.Folder, "tampered.warc");
        await File.WriteAllBytesAsync(tampered, bytes);

        var report = await CheckAsync(tampered, expectOk: false);

        Assert.False(report.GetProperty("ok").GetBoolean());
        var response = report.GetProperty("records").EnumerateArray().Single(r => r.GetProperty("type").GetString() == "response");
        Assert.False(response.GetProperty("blockDigestMatches").GetBoolean());
        Assert.False(response.GetProperty("payloadDigestMatches").GetBoolean());
    }

    private static async Task<JsonElement> CheckAsync(string warc, bool expectOk = true)
    {
        Assert.True(Tools.WarcioMissing is null, $"{Tools.WarcioMissing}: .ci/run must install node and run npm ci in tests/warcio");
        var (code, output) = await Tools.RunAsync(Tools.Node!, Tools.WarcioFolder, "check-warc.mjs", warc);
        Assert.True(code == (expectOk ? 0 : 1), $"check-warc.mjs exited {code}:\n{output}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
