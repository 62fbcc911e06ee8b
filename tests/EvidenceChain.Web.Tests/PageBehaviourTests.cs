using System.IO.Compression;
using System.Net;
using EvidenceChain.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EvidenceChain.Web.Tests;

/// <summary>Offline after load, nothing uploaded, hostile zips refused, both languages, and how the node serves the page.</summary>
public sealed class PageBehaviourTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    [ChromiumFact]
    public async Task NetworkBlockedAfterLoad_StillVerifies_AndNoRequestIsEvenTried()
    {
        await using var session = await fixture.OpenAsync();
        var tried = new List<string>();
        await session.Page.Context.RouteAsync("**/*", async route =>
        {
            tried.Add(route.Request.Url);
            await route.AbortAsync();
        });
        await session.Page.Context.SetOfflineAsync(true);
        var before = session.Requests.Count;

        var verdict = await session.VerifyAsync(fixture.Receipt, fixture.Original);

        Assert.Equal("pass", verdict);
        Assert.Empty(tried);
        Assert.Equal(before, session.Requests.Count);
    }

    [ChromiumFact]
    public async Task DroppedFiles_NoRequestCarriesAnyOfTheirBytes()
    {
        await using var session = await fixture.OpenAsync();
        var loadRequests = session.Requests.Count;

        Assert.Equal("pass", await session.VerifyAsync(fixture.Receipt, fixture.Original));

        // Nothing at all is requested once the page is loaded; and no request, from the first, had a body.
        Assert.Equal(loadRequests, session.Requests.Count);
        Assert.All(session.Requests, r =>
        {
            Assert.Equal("GET", r.Method);
            Assert.Empty(r.Body);
            Assert.StartsWith(fixture.Node.Node.HttpAddress.GetLeftPart(UriPartial.Authority), r.Url, StringComparison.Ordinal);
        });
    }

    [ChromiumFact]
    public async Task ZipBomb_RefusedWithAClearMessage_AndThePageStaysResponsive()
    {
        var bomb = Path.Combine(fixture.Folder, "bomb.evidence.zip");
        using (var zip = ZipFile.Open(bomb, ZipArchiveMode.Create))
        {
            await using var member = zip.CreateEntry("entry.json", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 200; i++)
            {
                await member.WriteAsync(zeros);
            }
        }

        await AssertRefusedAsync(bomb, "entry.json");
    }

    [ChromiumFact]
    public async Task TenThousandMembers_Refused()
    {
        var many = Path.Combine(fixture.Folder, "many.evidence.zip");
        using (var zip = ZipFile.Open(many, ZipArchiveMode.Create))
        {
            for (var i = 0; i < 10_000; i++)
            {
                zip.CreateEntry($"artefacts/{i}", CompressionLevel.NoCompression);
            }
        }

        await AssertRefusedAsync(many, "members");
    }

    [ChromiumFact]
    public async Task NotAZip_Refused()
    {
        var junk = Path.Combine(fixture.Folder, "junk.evidence.zip");
        await File.WriteAllBytesAsync(junk, PageFixture.Content(5000, 3));

        await AssertRefusedAsync(junk, "zip");
    }

    [ChromiumFact]
    public async Task ChineseBrowser_ChineseReport_SwitchesToEnglish()
    {
        await using var session = await fixture.OpenAsync(locale: "zh-CN");
        Assert.Contains("电子证据核验", await session.Page.InnerTextAsync("h1"), StringComparison.Ordinal);

        Assert.Equal("pass", await session.VerifyAsync(fixture.Receipt, fixture.Original));

        Assert.Contains("核验通过", await session.Page.InnerTextAsync("[data-verdict]"), StringComparison.Ordinal);
        Assert.Equal("zh-CN", await session.Page.GetAttributeAsync("html", "lang"));
        Assert.Equal("pass", (await session.StepsAsync())["inclusion"]); // step names stay as the CLI prints them
        await session.ScreenshotAsync("receipt-verified-zh-1280");

        await session.Page.ClickAsync("[data-lang='en']");

        await session.Page.WaitForSelectorAsync("text=VERIFIED");
        Assert.Contains("Evidence verifier", await session.Page.InnerTextAsync("h1"), StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task ChinesePhone_Screenshot()
    {
        await using var session = await fixture.OpenAsync(width: 390, locale: "zh-CN");

        Assert.Equal("pass", await session.VerifyAsync(fixture.Receipt, fixture.Original));

        await session.ScreenshotAsync("receipt-verified-zh-390");
    }

    [ChromiumFact]
    public async Task ServedAnchors_ShownWithFingerprintsAndSource()
    {
        await using var session = await fixture.OpenAsync();

        var log = await session.Page.InnerTextAsync("[data-anchor='log-key']");
        var tsa = await session.Page.InnerTextAsync("[data-anchor='tsa-ca']");

        var vkey = (await File.ReadAllTextAsync(Path.Combine(fixture.Node.DataPath, "keys", "log.vkey"))).Trim();
        Assert.Contains(vkey, log, StringComparison.Ordinal);
        Assert.Contains("delivered with this page", log, StringComparison.Ordinal);
        using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
            await File.ReadAllTextAsync(Path.Combine(fixture.Node.DataPath, "keys", "tsa-ca.pem")));
        var fingerprint = string.Join(':', Convert.ToHexString(ca.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)).Chunk(2).Select(c => new string(c)));
        Assert.Contains(fingerprint, tsa, StringComparison.Ordinal);
        await session.ScreenshotAsync("empty-1280");
    }

    [Fact]
    public async Task Node_ServesThePageWithItsPolicy_TrustJson_AndTheStaticFolderAsAZip()
    {
        foreach (var path in new[] { "/", "/verify" })
        {
            using var page = await fixture.Node.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
            Assert.Contains("_framework/blazor.webassembly", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var trust = await fixture.Node.Http.GetStringAsync("/trust.json");
        Assert.Contains((await File.ReadAllTextAsync(Path.Combine(fixture.Node.DataPath, "keys", "log.vkey"))).Trim(), trust, StringComparison.Ordinal);

        using var response = await fixture.Node.Http.GetAsync("/verifier.zip");
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("index.html", names);
        Assert.Contains("trust.json", names);
        Assert.Contains(names, n => n.StartsWith("_framework/blazor.webassembly", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("_framework/dotnet.native", StringComparison.Ordinal) && n.EndsWith(".wasm", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.EndsWith(".gz", StringComparison.Ordinal));
    }

    private async Task AssertRefusedAsync(string file, string mentioned)
    {
        await using var session = await fixture.OpenAsync();

        var verdict = await session.VerifyAsync(file);

        Assert.Equal("fail", verdict);
        Assert.Empty(await session.StepsAsync());
        var reason = await session.Page.InnerTextAsync("#verdict-reason");
        Assert.Contains(mentioned, reason, StringComparison.OrdinalIgnoreCase);

        // Still responsive: the language switch re-renders at once.
        await session.Page.ClickAsync("[data-lang='zh']");
        await session.Page.WaitForSelectorAsync("text=核验未通过", new PageWaitForSelectorOptions { Timeout = 5000 });
    }
}
