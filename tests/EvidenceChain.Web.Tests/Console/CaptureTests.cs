using EvidenceChain.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EvidenceChain.Web.Tests.Console;

/// <summary>Capturing web pages from the console: the node fetches and renders them (loopback allow-listed for the fixture site).</summary>
public sealed class CaptureTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private readonly ConsoleFixture _fixture = fixture;

    [ChromiumFact]
    public async Task Capture_PastedList_ShowsEachStateTheScreenshotAndWhyOthersFailed()
    {
        var page = _fixture.Site.Url("/page.html").AbsoluteUri;
        var guarded = "http://169.254.169.254/latest/meta-data/";
        var redirected = _fixture.Site.Url("/redirect-to?url=" + Uri.EscapeDataString("http://10.20.30.40/")).AbsoluteUri;
        await using var tab = await _fixture.SignedInAsync("console/capture");

        await tab.Page.FillAsync("#urls", string.Join('\n', page, guarded, redirected));
        await tab.Page.ClickAsync("#capture");

        await tab.Page.WaitForFunctionAsync(
            "() => document.querySelectorAll('article.capture').length === 3 && [...document.querySelectorAll('article.capture')].every(a => !['waiting', 'capturing'].includes(a.dataset.state))",
            null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        var done = tab.Page.Locator($"article.capture[data-url='{page}']");
        Assert.Equal("complete", await done.GetAttributeAsync("data-state"));
        await tab.Page.WaitForFunctionAsync("u => document.querySelector(`article.capture[data-url='${u}'] img.thumb`)?.naturalWidth > 0", page);
        Assert.StartsWith("blob:", await done.Locator("img.thumb").GetAttributeAsync("src"), StringComparison.Ordinal);

        var refused = tab.Page.Locator($"article.capture[data-url='{guarded}']");
        Assert.Equal("refused", await refused.GetAttributeAsync("data-state"));
        Assert.StartsWith("This address may not be captured", await refused.Locator(".why").InnerTextAsync(), StringComparison.Ordinal);
        Assert.NotEmpty(await refused.Locator(".detail").InnerTextAsync());

        var failed = tab.Page.Locator("article.capture[data-state='failed']");
        Assert.Equal(redirected, await failed.GetAttributeAsync("data-url"));
        Assert.Equal("The page led to an address the node may not visit (an internal or private network).", await failed.Locator(".why").InnerTextAsync());
        Assert.Contains("10.20.30.40", await failed.Locator(".detail").InnerTextAsync(), StringComparison.Ordinal);
        await tab.ScreenshotAsync("console-capture-1280");

        await tab.Page.SetViewportSizeAsync(390, 900);
        await tab.ScreenshotAsync("console-capture-390");
    }

    [ChromiumFact]
    public async Task Capture_NotAWebAddress_SaysSoBeforeAsking()
    {
        await using var tab = await _fixture.SignedInAsync("console/capture");

        await tab.Page.FillAsync("#urls", "ftp://example.com/file");
        await tab.Page.ClickAsync("#capture");

        Assert.Contains("ftp://example.com/file", await tab.Page.InnerTextAsync("#capture-form-error"), StringComparison.Ordinal);
        Assert.Equal(0, await tab.Page.Locator("article.capture").CountAsync());
    }
}
