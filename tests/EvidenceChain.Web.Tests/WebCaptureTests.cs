using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EvidenceChain.Capture.Tests.Infrastructure;
using EvidenceChain.Web.Tests.Infrastructure;

namespace EvidenceChain.Web.Tests;

/// <summary>
/// A web page captured over https by a real node from the local fixture site (private URL, so its URLs are committed
/// fields), its receipt with and without disclosed.json, and its WARC dropped beside it.
/// </summary>
public sealed class WebCaptureTests(WebCaptureTests.CaptureFixture fixture) : IClassFixture<WebCaptureTests.CaptureFixture>
{
    /// <summary>The page fixture on a node that may capture from loopback, with one https capture made.</summary>
    public sealed class CaptureFixture : PageFixture, IAsyncLifetime
    {
        private readonly FixtureSite _site = new();

        public string CaptureReceipt { get; private set; } = null!;

        public string AnonymousReceipt { get; private set; } = null!;

        public string Warc { get; private set; } = null!;

        public string PageUrlCaptured { get; private set; } = null!;

        protected override string[] Settings => ["--Capture:AllowedNetworks:0", "127.0.0.0/8", "--Capture:BrowserPath", "none", "--Capture:Timeout", "00:00:20"];

        public new async Task InitializeAsync()
        {
            await _site.InitializeAsync();
            await base.InitializeAsync();
            PageUrlCaptured = new Uri(_site.Https, "/page.html").AbsoluteUri;
            using var capture = new HttpRequestMessage(HttpMethod.Post, "/v1/captures")
            {
                Content = new StringContent(JsonSerializer.Serialize(new { url = PageUrlCaptured, noBrowser = true, privateUrl = true }), Encoding.UTF8, "application/json"),
            };
            capture.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SubmitterKey);
            using var response = await Node.Http.SendAsync(capture);
            var json = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, json);
            using var document = JsonDocument.Parse(json);
            var index = document.RootElement.GetProperty("entry").GetProperty("index").GetString()!;
            CaptureReceipt = Path.Combine(Folder, "capture.evidence.zip");
            await File.WriteAllBytesAsync(CaptureReceipt, await GetAsync($"/v1/entries/{index}/receipt.zip?wait=true", SubmitterKey));
            AnonymousReceipt = Path.Combine(Folder, "anonymous.evidence.zip");
            await File.WriteAllBytesAsync(AnonymousReceipt, await GetAsync($"/v1/entries/{index}/receipt.zip?wait=true", null));
            Warc = Path.Combine(Directory.CreateDirectory(Path.Combine(Folder, "warc")).FullName, "capture.warc");
            await File.WriteAllBytesAsync(Warc, await GetAsync($"/v1/entries/{index}/artefacts/capture.warc", SubmitterKey));
        }

        private async Task<byte[]> GetAsync(string path, string? key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using var response = await Node.Http.SendAsync(request);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.IsSuccessStatusCode, Encoding.UTF8.GetString(bytes));
            return bytes;
        }

        public new async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await _site.DisposeAsync();
        }
    }

    [ChromiumFact]
    public async Task CaptureWithItsWarc_Verified_WarcRecordsPass_TlsAndDisclosedUrlsShown()
    {
        await using var session = await fixture.OpenAsync();

        var verdict = await session.VerifyAsync(fixture.CaptureReceipt, fixture.Warc);
        await session.ScreenshotAsync("webpage-verified-1280");

        Assert.Equal("pass", verdict);
        var steps = await session.StepsAsync();
        Assert.Equal("pass", steps["warc records"]);
        Assert.Equal("pass", steps["disclosed"]);
        Assert.Equal("pass", steps["artefact capture.warc"]);
        Assert.Contains("CN=evidencechain fixture", await session.Page.InnerTextAsync("#tls-subject"), StringComparison.Ordinal);
        Assert.Contains("CN=evidencechain fixture", await session.Page.InnerTextAsync("#tls-issuer"), StringComparison.Ordinal); // self-signed
        var url = await session.Page.InnerTextAsync("[data-disclosed='url']");
        Assert.Contains(fixture.PageUrlCaptured, url, StringComparison.Ordinal);
        Assert.Contains("disclosed; matches the entry's commitment", url, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", await session.Page.InnerTextAsync("[data-disclosed='remote-ip']"), StringComparison.Ordinal);
        Assert.Contains("records", await session.Page.InnerTextAsync("[data-step='warc records']"), StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task CaptureAt390Pixels_Screenshot()
    {
        await using var session = await fixture.OpenAsync(width: 390);

        Assert.Equal("pass", await session.VerifyAsync(fixture.CaptureReceipt, fixture.Warc));
        await session.ScreenshotAsync("webpage-verified-390");

        Assert.False(await session.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"), "the page scrolls sideways at 390 px");
    }

    [ChromiumFact]
    public async Task AnonymousReceipt_UrlsCommittedNotDisclosed_InBothLanguages_WarcSkippedWithoutIt()
    {
        await using var english = await fixture.OpenAsync();
        Assert.Equal("pass", await english.VerifyAsync(fixture.AnonymousReceipt));
        var steps = await english.StepsAsync();
        Assert.Equal("skip", steps["disclosed"]);
        Assert.Equal("skip", steps["warc records"]);
        Assert.Equal("committed, not disclosed", (await english.Page.InnerTextAsync("[data-committed='url']")).Trim());
        Assert.Equal(0, await english.Page.Locator("#tls-subject").CountAsync());

        await using var chinese = await fixture.OpenAsync(locale: "zh-CN");
        Assert.Equal("pass", await chinese.VerifyAsync(fixture.AnonymousReceipt));
        Assert.Equal("已承诺，未披露", (await chinese.Page.InnerTextAsync("[data-committed='final-url']")).Trim());
    }

    [ChromiumFact]
    public async Task WarcPayloadByteChanged_FailsAtWarcRecords_NamingTheRecord()
    {
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Folder, "changed-warc")).FullName;
        var changed = Path.Combine(folder, "capture.warc");
        var text = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(fixture.Warc));
        var at = text.IndexOf("The served text.", StringComparison.Ordinal);
        Assert.True(at > 0);
        var bytes = Encoding.Latin1.GetBytes(text);
        bytes[at] ^= 0x20;
        await File.WriteAllBytesAsync(changed, bytes);
        await using var session = await fixture.OpenAsync();

        Assert.Equal("fail", await session.VerifyAsync(fixture.CaptureReceipt, changed));

        var steps = await session.StepsAsync();
        Assert.Equal("fail", steps["warc records"]);
        Assert.Equal("fail", steps["artefact capture.warc"]);
        var detail = await session.Page.InnerTextAsync("[data-step='warc records']");
        Assert.Contains("(response <urn:uuid:", detail, StringComparison.Ordinal);
        Assert.Contains("but the block hashes to sha256:", detail, StringComparison.Ordinal);
    }
}
