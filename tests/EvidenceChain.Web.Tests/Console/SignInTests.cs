using EvidenceChain.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EvidenceChain.Web.Tests.Console;

/// <summary>Signing in and out of the console with an API key, in a real browser against a real node.</summary>
public sealed class SignInTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private readonly ConsoleFixture _fixture = fixture;

    [ChromiumFact]
    public async Task SignIn_JanesKey_ShowsDescriptionAndRoleAndKeepsTheKeyInSessionStorageOnly()
    {
        await using var tab = await _fixture.OpenAsync();
        Assert.Equal("false", await tab.Page.GetAttributeAsync(".console", "data-signed-in"));
        await tab.ScreenshotAsync("console-signin-1280");

        await tab.SignInAsync(_fixture.JaneKey);

        Assert.Equal("Jane Doe, submitter", (await tab.Page.InnerTextAsync("#who .who-text")).Trim());
        Assert.Equal("submitter", await tab.Page.GetAttributeAsync("#who", "data-role"));
        Assert.Equal(_fixture.JaneKey, await tab.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('evidencechain.console.key')"));
        Assert.Equal(0, await tab.Page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.Equal(0, await tab.Page.EvaluateAsync<int>("() => document.cookie.length"));
        var navigation = await tab.Page.Locator("nav.cnav a").AllInnerTextsAsync();
        Assert.Contains(navigation, n => n.Contains("Preserve files", StringComparison.Ordinal));
        Assert.DoesNotContain(navigation, n => n.Contains("Cases", StringComparison.Ordinal));
        await tab.ScreenshotAsync("console-home-1280");

        // A reload keeps the session (same tab); the key is never in a URL or a console message.
        await tab.GoAsync("console/evidence");
        Assert.Equal("true", await tab.Page.GetAttributeAsync(".console", "data-signed-in"));
        Assert.DoesNotContain(tab.Urls, u => u.Contains(_fixture.JaneKey, StringComparison.Ordinal));
        Assert.DoesNotContain(tab.Messages, m => m.Contains(_fixture.JaneKey, StringComparison.Ordinal));
        Assert.DoesNotContain(_fixture.Node.Logs.Records, r => r.ToString()!.Contains(_fixture.JaneKey, StringComparison.Ordinal));
    }

    [ChromiumFact]
    public async Task SignOut_ForgetsTheKey()
    {
        await using var tab = await _fixture.SignedInAsync();

        await tab.Page.ClickAsync("#sign-out");

        await tab.Page.WaitForSelectorAsync("[data-signed-in='false'] #api-key");
        Assert.Null(await tab.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('evidencechain.console.key')"));
        Assert.Contains("signed out", await tab.Page.InnerTextAsync("#signin-notice"), StringComparison.Ordinal);
        await tab.GoAsync("console");
        Assert.Equal("false", await tab.Page.GetAttributeAsync(".console", "data-signed-in"));
    }

    [ChromiumFact]
    public async Task SignIn_WrongKey_SaysTheNodeRefusedIt()
    {
        await using var tab = await _fixture.OpenAsync();

        await tab.Page.FillAsync("#api-key", "ec_not-a-real-key");
        await tab.Page.ClickAsync("#sign-in");

        await tab.Page.WaitForSelectorAsync("#signin-error:not(:empty)");
        Assert.StartsWith("The node refused this key:", await tab.Page.InnerTextAsync("#signin-error"), StringComparison.Ordinal);
        Assert.Equal("false", await tab.Page.GetAttributeAsync(".console", "data-signed-in"));
        Assert.Null(await tab.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('evidencechain.console.key')"));
    }

    [ChromiumFact]
    public async Task RevokedKey_MidSession_SignsOutWithAClearMessage()
    {
        var (key, id) = await _fixture.CreateKeyAsync("submitter", "Short-lived key");
        await using var tab = await _fixture.SignedInAsync("console/evidence", key);

        await _fixture.RevokeAsync(id);
        await tab.Page.ClickAsync("#search");

        await tab.Page.WaitForSelectorAsync("[data-signed-in='false'] #signin-notice");
        Assert.Contains("no longer accepts your key", await tab.Page.InnerTextAsync("#signin-notice"), StringComparison.Ordinal);
        Assert.Null(await tab.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('evidencechain.console.key')"));
    }

    [ChromiumFact]
    public async Task Console_ChineseBrowser_SpeaksChineseAndSwitches()
    {
        await using var tab = await _fixture.OpenAsync(locale: "zh-CN");

        Assert.Contains("登录", await tab.Page.InnerTextAsync("#signin-title"), StringComparison.Ordinal);
        await tab.Page.ClickAsync("button[data-lang='en']");
        await Assertions.Expect(tab.Page.Locator("#signin-title")).ToHaveTextAsync("Sign in to the evidence console");
        Assert.Equal("en", await tab.Page.GetAttributeAsync("html", "lang"));
        await tab.Page.ClickAsync("button[data-lang='zh']");
        await tab.SignInAsync(_fixture.JaneKey);
        Assert.Equal("Jane Doe, 存证人", (await tab.Page.InnerTextAsync("#who .who-text")).Trim());
        await tab.ScreenshotAsync("console-home-zh-1280");
    }

    [ChromiumFact]
    public async Task SignIn_Keyboard_Only()
    {
        await using var tab = await _fixture.OpenAsync();

        Assert.Equal("API key", await tab.Page.EvaluateAsync<string>("() => document.querySelector('label[for=api-key]').textContent"));
        await tab.Page.FocusAsync("#api-key");
        await tab.Page.Keyboard.TypeAsync(_fixture.JaneKey);
        await tab.Page.Keyboard.PressAsync("Enter");

        await tab.Page.WaitForSelectorAsync("[data-signed-in='true']");

        // Tab order reaches the navigation; Enter follows a link.
        for (var i = 0; i < 12 && await tab.Page.EvaluateAsync<string?>("() => document.activeElement?.dataset?.nav") != "nav.preserve"; i++)
        {
            await tab.Page.Keyboard.PressAsync("Tab");
        }

        await tab.Page.Keyboard.PressAsync("Enter");
        await tab.Page.WaitForSelectorAsync("#choose-files");
    }
}
