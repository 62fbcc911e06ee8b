using EvidenceChain.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EvidenceChain.Web.Tests.Console;

/// <summary>The administrator's API key screen in a real browser against a real node.</summary>
public sealed class KeysTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private static readonly LocatorWaitForOptions Slow = new() { Timeout = 60_000 };

    [ChromiumFact]
    public async Task Admin_CreatesAKey_SecretShownOnce_ThenRevokes_AndItsSessionEndsOnItsNextAction()
    {
        var (olga, _) = await fixture.CreateKeyAsync("admin", "Olga Operator");
        await using var admin = await fixture.SignedInAsync("console", olga);
        await admin.Page.ClickAsync("[data-nav='nav.keys']");
        await admin.Page.Locator($"tr[data-key] .key-desc").First.WaitForAsync(Slow);
        await CaseManagerTests.AssertLabelledAsync(admin);

        await admin.Page.SelectOptionAsync("#key-role", "case-manager");
        await admin.Page.FillAsync("#key-description", "Temp clerk " + CaseSetup.Hostile);
        await admin.Page.ClickAsync("#create-key");

        // The secret: shown once, with a warning and a copy button; the node's list never has it.
        var secret = admin.Page.Locator("#secret-value");
        await secret.WaitForAsync(Slow);
        var value = await secret.InputValueAsync();
        Assert.Matches("^k[0-9a-f]{16}\\.", value);
        Assert.Contains("shown only once", await admin.Page.InnerTextAsync("#secret-warning"), StringComparison.Ordinal);
        Assert.Equal("new-secret", await admin.Page.EvaluateAsync<string>("() => document.activeElement.id"));
        await admin.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await admin.Page.ClickAsync("#copy-secret");
        await Assertions.Expect(admin.Page.Locator("#copy-secret")).ToContainTextAsync("Copied");
        Assert.Equal(value, await admin.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        var row = admin.Page.Locator("tr[data-key]", new PageLocatorOptions { HasText = "Temp clerk" });
        Assert.Equal("Temp clerk " + CaseSetup.Hostile, await row.Locator(".key-desc").InnerTextAsync());
        Assert.Equal("case manager", await row.Locator(".role").InnerTextAsync());
        var id = (await row.GetAttributeAsync("data-key"))!;
        await admin.ShotAsync("keys-secret-1280");

        await admin.Page.ClickAsync("#secret-done");
        Assert.Equal(0, await secret.CountAsync());
        Assert.DoesNotContain(value, await admin.Page.ContentAsync(), StringComparison.Ordinal);
        await admin.GoAsync("console/keys");
        await row.WaitForAsync(Slow);
        Assert.DoesNotContain(value, await admin.Page.ContentAsync(), StringComparison.Ordinal);

        // The new key signs in elsewhere.
        await using var clerk = await fixture.SignedInAsync("console/cases", value);
        Assert.Equal("Temp clerk " + CaseSetup.Hostile + ", case manager", (await clerk.Page.InnerTextAsync("#who .who-text")).Trim());

        // Revoke, after a confirmation.
        await row.Locator(".revoke").ClickAsync();
        await admin.ShotAsync("keys-revoke-1280");
        Assert.Contains("It stops working at once", await admin.Page.InnerTextAsync($"tr[data-confirm='{id}']"), StringComparison.Ordinal);
        await admin.Page.ClickAsync($"tr[data-confirm='{id}'] .confirm-revoke");
        await Assertions.Expect(row).ToHaveClassAsync("revoked");
        Assert.Contains("Revoked", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await row.Locator(".revoke").CountAsync());
        await admin.ShotAsync("keys-1280");

        // The revoked key's session ends on its next call, with a message.
        await clerk.Page.ClickAsync("#case-search");
        await clerk.Page.WaitForSelectorAsync("[data-signed-in='false'] #signin-notice");
        Assert.Contains("no longer accepts your key", await clerk.Page.InnerTextAsync("#signin-notice"), StringComparison.Ordinal);
        Assert.Null(await clerk.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('evidencechain.console.key')"));

        await admin.AssertNoInjectionAsync();
        await clerk.AssertNoInjectionAsync();
        Assert.DoesNotContain(admin.Urls, u => u.Contains(value, StringComparison.Ordinal) || u.Contains(olga, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Node.Logs.Records, r => r.ToString()!.Contains(value, StringComparison.Ordinal));
        Assert.Equal(id, (await row.GetAttributeAsync("data-key"))!);
    }

    [ChromiumFact]
    public async Task Keys_PhoneWidthAndChinese()
    {
        var (olga, _) = await fixture.CreateKeyAsync("admin", "Olga Operator");
        await fixture.CreateKeyAsync("submitter", "李伟（权利人）");
        var (_, revoked) = await fixture.CreateKeyAsync("case-manager", "Former clerk");
        await fixture.RevokeAsync(revoked);

        await using (var phone = await fixture.SignedInAsync("console/keys", olga, width: 390))
        {
            await phone.Page.Locator($"tr[data-key='{revoked}'].revoked").WaitForAsync(Slow);
            await phone.Page.FillAsync("#key-description", "Phone key");
            await phone.Page.ClickAsync("#create-key");
            await phone.Page.Locator("#secret-value").WaitForAsync(Slow);
            await CaseManagerTests.AssertFitsAsync(phone);
            await phone.ShotAsync("keys-390");
        }

        await using var zh = await fixture.SignedInAsync("console/keys", olga, locale: "zh-CN");
        await zh.Page.Locator($"tr[data-key='{revoked}'].revoked").WaitForAsync(Slow);
        Assert.Contains("创建密钥", await zh.Page.InnerTextAsync("#create-key-title"), StringComparison.Ordinal);
        Assert.Contains("已吊销", await zh.Page.InnerTextAsync($"tr[data-key='{revoked}']"), StringComparison.Ordinal);
        await zh.ShotAsync("keys-zh-1280");
    }
}
