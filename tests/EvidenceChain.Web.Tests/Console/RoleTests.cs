using EvidenceChain.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EvidenceChain.Web.Tests.Console;

/// <summary>What other roles see of the submitter's screens: the navigation hides them, the node refuses them.</summary>
public sealed class RoleTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private readonly ConsoleFixture _fixture = fixture;

    [ChromiumFact]
    public async Task CaseManager_SeesEveryonesEvidenceButMayNotPreserve()
    {
        var (key, _) = await _fixture.CreateKeyAsync("case-manager", "Mediation Centre Clerk");
        await using var tab = await _fixture.SignedInAsync("console", key);

        Assert.Equal("Mediation Centre Clerk, case manager", (await tab.Page.InnerTextAsync("#who .who-text")).Trim());
        var navigation = await tab.Page.Locator("nav.cnav a").AllInnerTextsAsync();
        Assert.DoesNotContain(navigation, n => n.Contains("Preserve files", StringComparison.Ordinal));
        Assert.Contains(navigation, n => n.Trim() == "Evidence");

        await tab.GoAsync("console/evidence");
        await tab.Page.WaitForSelectorAsync($"table.entries tr[data-index='{_fixture.PreservedIndex}']");

        // The address typed by hand: the page is there, the node says no, the session stays.
        await tab.GoAsync("console/preserve");
        await tab.Page.SetInputFilesAsync("#preserve-input", _fixture.WriteFile("not-mine.txt", 1000, 61));
        await tab.Page.WaitForSelectorAsync("li.upload[data-state='failed']", new PageWaitForSelectorOptions { Timeout = 60_000 });
        Assert.Contains("submitter", await tab.Page.InnerTextAsync("li.upload .reason"), StringComparison.Ordinal);
        Assert.Equal("true", await tab.Page.GetAttributeAsync(".console", "data-signed-in"));
    }
}
