using System.Globalization;
using EvidenceChain.Verifier.Cases;
using EvidenceChain.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EvidenceChain.Web.Tests.Console;

/// <summary>
/// The mediation centre's screens in a real browser against a real node: a case manager creates a case, attaches
/// evidence found by search, by entry number and by digest, detaches with a reason, adds a note, closes and exports;
/// every text a user typed is shown as text.
/// </summary>
public sealed class CaseManagerTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private static readonly LocatorWaitForOptions Slow = new() { Timeout = 60_000 };

    [ChromiumFact]
    public async Task CaseManager_CreatesAttachesDetachesNotesClosesAndExports_AndTheExportVerifies()
    {
        var (mary, _) = await fixture.CreateKeyAsync("case-manager", "Mary Mediator");
        var hostileFile = fixture.WriteFile("photo-4711.jpg", 40_000, 11);
        var hostileIndex = await fixture.PreserveAsync(fixture.JaneKey, hostileFile, CaseSetup.Hostile);
        var digestFile = fixture.WriteFile(CaseSetup.Hostile + ".pdf", 60_000, 12);
        var digestIndex = await fixture.PreserveAsync(fixture.JaneKey, digestFile);
        var captureIndex = await fixture.CaptureAsync(fixture.JaneKey, fixture.Site.Url("/page.html"));
        await using var tab = await fixture.SignedInAsync("console", mary);
        var navigation = await tab.Page.Locator("nav.cnav a").AllInnerTextsAsync();
        Assert.Contains(navigation, n => n.Contains("Cases", StringComparison.Ordinal));
        Assert.DoesNotContain(navigation, n => n.Contains("API keys", StringComparison.Ordinal));
        await tab.ShotAsync("case-home-1280");

        // Create, from the list.
        await tab.Page.ClickAsync("[data-nav='nav.cases']");
        await tab.Page.ClickAsync("#new-case");
        await tab.Page.FillAsync("#case-title", "Li v. Zhang " + CaseSetup.Hostile);
        await tab.Page.FillAsync("#case-reference", "(2026) Hu 0101 Min Chu 123 " + CaseSetup.Hostile);
        await tab.Page.FillAsync("#party-name-1", "Li Wei");
        await tab.Page.FillAsync("#party-name-2", CaseSetup.Hostile);
        await AssertLabelledAsync(tab);
        await tab.ShotAsync("case-new-1280");
        await tab.Page.ClickAsync("#create-case");
        await tab.Page.Locator("[data-case][data-status='open']").WaitForAsync(Slow);
        Assert.Equal("Li v. Zhang " + CaseSetup.Hostile, await tab.Page.InnerTextAsync("#case-title"));
        Assert.Equal("(2026) Hu 0101 Min Chu 123 " + CaseSetup.Hostile, await tab.Page.InnerTextAsync("#case-reference"));
        Assert.Contains(CaseSetup.Hostile, await tab.Page.InnerTextAsync("#case-parties"), StringComparison.Ordinal);
        var caseId = (await tab.Page.GetAttributeAsync("[data-case]", "data-case"))!;
        Assert.Equal(1, await tab.Page.Locator("#items-empty").CountAsync());
        await tab.ShotAsync("case-empty-1280");

        // Attach: found by a search of the evidence.
        await tab.Page.ClickAsync("#attach-open");
        await tab.Page.FillAsync("#attach-q", "Signed statement");
        await tab.Page.ClickAsync("#attach-search");
        await tab.Page.ClickAsync($"#attach-results li[data-found='{fixture.PreservedIndex}'] .attach-one");
        await tab.Page.Locator($".item-card[data-item='{fixture.PreservedIndex}']").WaitForAsync(Slow);
        Assert.Contains("Signed statement", await tab.Page.InnerTextAsync($".item-card[data-item='{fixture.PreservedIndex}'] .item-title"), StringComparison.Ordinal);

        // ... by entry number (the web capture, shown with its screenshot) and another by number ...
        await tab.Page.ClickAsync("#attach-tab-index");
        foreach (var index in new[] { captureIndex, hostileIndex })
        {
            await tab.Page.FillAsync("#attach-index", index.ToString(CultureInfo.InvariantCulture));
            await tab.Page.ClickAsync("#attach-by-index");
            await tab.Page.Locator($".item-card[data-item='{index}']").WaitForAsync(Slow);
        }

        // ... and by SHA-256 digest.
        await tab.Page.ClickAsync("#attach-tab-digest");
        await tab.Page.FillAsync("#attach-digest", CaseSetup.Sha256(digestFile));
        await tab.Page.ClickAsync("#attach-find");
        await tab.Page.ClickAsync($"#attach-results li[data-found='{digestIndex}'] .attach-one");
        await tab.Page.Locator($".item-card[data-item='{digestIndex}']").WaitForAsync(Slow);
        Assert.Equal(CaseSetup.Hostile + ".pdf", await tab.Page.InnerTextAsync($".item-card[data-item='{digestIndex}'] .item-title"));

        // The capture's thumbnail is its screenshot, fetched with the key: an image from a blob: URL that decoded.
        var thumb = tab.Page.Locator($".item-card[data-item='{captureIndex}'] img.item-thumb");
        await thumb.WaitForAsync(Slow);
        Assert.StartsWith("blob:", await thumb.GetAttributeAsync("src"), StringComparison.Ordinal);
        await tab.Page.WaitForFunctionAsync($"() => document.querySelector(\".item-card[data-item='{captureIndex}'] img.item-thumb\").naturalWidth > 0");
        Assert.Equal(CaseSetup.Hostile, await tab.Page.InnerTextAsync($".item-card[data-item='{hostileIndex}'] .item-title"));
        Assert.Equal("Web page", (await tab.Page.InnerTextAsync($".item-card[data-item='{captureIndex}'] .kind")).Trim());

        // Detach with a reason.
        var hostileCard = tab.Page.Locator($".item-card[data-item='{hostileIndex}']");
        await hostileCard.Locator(".detach").ClickAsync();
        await hostileCard.Locator(".confirm-detach").ClickAsync();
        Assert.Contains("Give a reason", await hostileCard.InnerTextAsync(), StringComparison.Ordinal);
        await hostileCard.Locator("textarea").FillAsync("Duplicate of entry " + digestIndex.ToString(CultureInfo.InvariantCulture) + " " + CaseSetup.Hostile);
        await hostileCard.Locator(".confirm-detach").ClickAsync();
        await hostileCard.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached, Timeout = 60_000 });

        // A note.
        await tab.Page.FillAsync("#note-text", "Called the respondent. " + CaseSetup.Hostile);
        await tab.Page.ClickAsync("#add-note");
        await tab.Page.Locator("#notes li").WaitForAsync(Slow);
        Assert.Equal("Called the respondent. " + CaseSetup.Hostile, await tab.Page.InnerTextAsync("#notes li .note-text"));
        Assert.Equal("Mary Mediator", await tab.Page.InnerTextAsync("#notes li .note-author"));

        // The history: every change, by the key's description, the detach with its reason.
        Assert.Equal(4, await tab.Page.Locator("#history li[data-event='attach']").CountAsync());
        Assert.Equal(1, await tab.Page.Locator("#history li[data-event='create']").CountAsync());
        var detach = tab.Page.Locator("#history li[data-event='detach']");
        Assert.Contains($"Detached entry #{hostileIndex}", await detach.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(CaseSetup.Hostile, await detach.Locator(".ev-text").InnerTextAsync(), StringComparison.Ordinal);
        Assert.All(await tab.Page.Locator("#history .ev-actor").AllInnerTextsAsync(), a => Assert.Equal("Mary Mediator", a));
        Assert.Equal(3, await tab.Page.Locator(".item-card").CountAsync());
        await tab.AssertNoInjectionAsync();
        await tab.ShotAsync("case-page-1280");

        // Close with a reason: no more changes offered.
        await tab.Page.ClickAsync("#close-case");
        await tab.Page.FillAsync("#close-reason", "Settled at mediation.");
        await tab.ShotAsync("case-close-1280");
        await tab.Page.ClickAsync("#confirm-close");
        await tab.Page.Locator("[data-case][data-status='closed']").WaitForAsync(Slow);
        Assert.Contains("Settled at mediation.", await tab.Page.InnerTextAsync("#case-closed"), StringComparison.Ordinal);
        Assert.Equal(0, await tab.Page.Locator("#attach-open, #close-case, #note-text, .detach").CountAsync());

        // Export: the zip is fetched with the key in a header, saved from a blob, and verifies offline.
        var download = await tab.Page.RunAndWaitForDownloadAsync(() => tab.Page.ClickAsync("#export-case"), new PageRunAndWaitForDownloadOptions { Timeout = 120_000 });
        Assert.Equal($"case-{caseId}.zip", download.SuggestedFilename);
        var saved = Path.Combine(fixture.Folder, download.SuggestedFilename);
        await download.SaveAsAsync(saved);
        await using (var zip = File.OpenRead(saved))
        {
            var report = await CaseExportVerifier.VerifyAsync(zip, fixture.Trust());
            Assert.True(report.IsValid, string.Join('\n', report.Export.Steps.Concat(report.Entries.SelectMany(e => e.Report.Steps))));
            Assert.Equal(
                new[] { fixture.PreservedIndex, captureIndex, digestIndex }.Order(),
                report.Entries.Where(e => !e.IsEvent).Select(e => e.Index).Order());
        }

        await tab.Page.Locator("#history li[data-event='export']").WaitForAsync(Slow);
        Assert.Contains("case-" + caseId + ".zip", await tab.Page.InnerTextAsync("#case-notice"), StringComparison.Ordinal);
        await tab.ShotAsync("case-closed-1280");
        Assert.DoesNotContain(tab.Urls, u => u.Contains(mary, StringComparison.Ordinal));
        await tab.AssertNoInjectionAsync();
    }

    [ChromiumFact]
    public async Task CasesList_FiltersByStatus_SearchesTitleReferenceAndParty_AndPages()
    {
        var (clerk, _) = await fixture.CreateKeyAsync("case-manager", "Paging clerk");
        var tag = "pg" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 22; i++)
        {
            await fixture.CreateCaseAsync(clerk, $"{tag} dispute {i:00}", $"REF-{tag}-{i:00}", ("Claimant " + i.ToString(CultureInfo.InvariantCulture), "claimant"));
        }

        var closed = await fixture.CreateCaseAsync(clerk, $"{tag} closed matter", "", ($"Wang Fang {tag}", "respondent"), (CaseSetup.Hostile, "claimant"));
        using (await fixture.PostAsync(clerk, $"/v1/cases/{closed}:close", new { reason = "withdrawn" }))
        {
        }

        await using var tab = await fixture.SignedInAsync("console/cases", clerk);

        // Text in the title: 22 open cases on two pages of 20.
        await SearchAsync(tab, tag);
        Assert.Equal(20, await tab.Page.Locator("table.cases tbody tr").CountAsync());
        Assert.Contains($"{tag} dispute 21", await tab.Page.InnerTextAsync("table.cases tbody tr:first-child"), StringComparison.Ordinal); // newest first
        await tab.ShotAsync("case-list-1280");
        await tab.Page.ClickAsync("#cases-next");
        await tab.Page.WaitForFunctionAsync("() => document.querySelectorAll('table.cases tbody tr').length === 2");
        Assert.Contains("Page 2", await tab.Page.InnerTextAsync(".pager"), StringComparison.Ordinal);
        Assert.Contains($"{tag} dispute 00", await tab.Page.InnerTextAsync("table.cases tbody tr:last-child"), StringComparison.Ordinal);

        // By status: the closed one only under Closed (and All), with its hostile party shown as text.
        await tab.Page.ClickAsync("[data-status='closed']");
        await tab.Page.WaitForFunctionAsync("() => document.querySelectorAll('table.cases tbody tr').length === 1");
        Assert.Contains(CaseSetup.Hostile, await tab.Page.InnerTextAsync($"tr[data-case='{closed}']"), StringComparison.Ordinal);
        Assert.Equal("Closed", await tab.Page.InnerTextAsync($"tr[data-case='{closed}'] .cstatus"));
        await tab.Page.ClickAsync("[data-status='all']");
        await tab.Page.WaitForFunctionAsync("() => document.querySelector('#cases-next') && !document.querySelector('#cases-next').disabled");

        // By reference and by party.
        await SearchAsync(tab, $"REF-{tag}-07");
        Assert.Equal(1, await tab.Page.Locator("table.cases tbody tr").CountAsync());
        Assert.Contains($"{tag} dispute 07", await tab.Page.InnerTextAsync("table.cases tbody"), StringComparison.Ordinal);
        await SearchAsync(tab, $"wang fang {tag}");
        Assert.Equal(1, await tab.Page.Locator($"tr[data-case='{closed}']").CountAsync());
        Assert.Equal(1, await tab.Page.Locator("table.cases tbody tr").CountAsync());

        await SearchAsync(tab, "no such case " + tag);
        Assert.Contains("No case matches", await tab.Page.InnerTextAsync("#cases-empty"), StringComparison.Ordinal);
        await tab.AssertNoInjectionAsync();
    }

    [ChromiumFact]
    public async Task CasePage_Keyboard_AttachesBySearchWithoutAMouse()
    {
        var (clerk, _) = await fixture.CreateKeyAsync("case-manager", "Keyboard clerk");
        var id = await fixture.CreateCaseAsync(clerk, "Keyboard case");
        await using var tab = await fixture.SignedInAsync($"console/cases/{id}", clerk);
        await tab.Page.Locator("#case-title").WaitForAsync(Slow);

        await TabToAsync(tab, "attach-open");
        await tab.Page.Keyboard.PressAsync("Enter");
        await tab.Page.Locator("#attach-q").WaitForAsync();
        await TabToAsync(tab, "attach-q");
        await tab.Page.Keyboard.TypeAsync("Signed statement");
        await tab.Page.Keyboard.PressAsync("Enter");
        await tab.Page.Locator($"#attach-results li[data-found='{fixture.PreservedIndex}'] .attach-one").WaitForAsync(Slow);
        await TabToAsync(tab, null, ".attach-one");
        await tab.Page.Keyboard.PressAsync("Enter");

        await tab.Page.Locator($".item-card[data-item='{fixture.PreservedIndex}']").WaitForAsync(Slow);
        Assert.Contains($"Entry #{fixture.PreservedIndex} attached.", await tab.Page.InnerTextAsync("#case-notice"), StringComparison.Ordinal);
        await AssertLabelledAsync(tab);
    }

    [ChromiumFact]
    public async Task CaseScreens_PhoneWidthAndChinese()
    {
        var (clerk, _) = await fixture.CreateKeyAsync("case-manager", "王芳（调解员）");
        var captureIndex = await fixture.CaptureAsync(fixture.JaneKey, fixture.Site.Url("/page.html"));
        var id = await fixture.CreateCaseAsync(clerk, "李某诉张某公司著作权纠纷", "(2026) 沪0101民初123号", ("李伟", "claimant"), ("张某公司", "respondent"), ("王芳", "mediator"));
        await fixture.AttachAsync(clerk, id, fixture.PreservedIndex);
        await fixture.AttachAsync(clerk, id, captureIndex);
        using (await fixture.PostAsync(clerk, $"/v1/cases/{id}:note", new { text = "已联系被申请人，约定下周调解。" }))
        {
        }

        await using (var phone = await fixture.SignedInAsync($"console/cases/{id}", clerk, width: 390))
        {
            await phone.Page.Locator($".item-card[data-item='{captureIndex}'] img.item-thumb").WaitForAsync(Slow);
            await AssertFitsAsync(phone);
            await phone.ShotAsync("case-page-390");
            await phone.Page.ClickAsync("#attach-open");
            await phone.Page.ClickAsync("#attach-search");
            await phone.Page.Locator("#attach-results").WaitForAsync(Slow);
            await AssertFitsAsync(phone);
            await phone.ShotAsync("case-attach-390");
            await phone.GoAsync("console/cases");
            await phone.Page.Locator("table.cases tbody tr").First.WaitForAsync(Slow);
            await AssertFitsAsync(phone);
            await phone.ShotAsync("case-list-390");
            await phone.GoAsync("console/cases/new");
            await AssertFitsAsync(phone);
            await phone.ShotAsync("case-new-390");
        }

        await using var zh = await fixture.SignedInAsync($"console/cases/{id}", clerk, locale: "zh-CN");
        await zh.Page.Locator($".item-card[data-item='{captureIndex}'] img.item-thumb").WaitForAsync(Slow);
        Assert.Contains("关联证据", await zh.Page.InnerTextAsync("#attach-open"), StringComparison.Ordinal);
        Assert.Contains("保管记录", await zh.Page.InnerTextAsync(".case-history h2"), StringComparison.Ordinal);
        Assert.Contains("王芳（调解员）", await zh.Page.InnerTextAsync("#history"), StringComparison.Ordinal);
        await zh.ShotAsync("case-page-zh-1280");
    }

    [ChromiumFact]
    public async Task Submitter_DoesNotSeeCaseScreens_AndTheNodesRefusalIsShown()
    {
        await using var tab = await fixture.SignedInAsync();
        var navigation = await tab.Page.Locator("nav.cnav a").AllInnerTextsAsync();
        Assert.DoesNotContain(navigation, n => n.Contains("Cases", StringComparison.Ordinal));
        Assert.DoesNotContain(navigation, n => n.Contains("API keys", StringComparison.Ordinal));

        // Reached anyway (a typed address): the node decides, and the console says what it answered.
        await tab.GoAsync("console/cases/new");
        await tab.Page.FillAsync("#case-title", "Not allowed");
        await tab.Page.ClickAsync("#create-case");
        await tab.Page.Locator("#create-error").WaitForAsync(Slow);
        Assert.StartsWith("Your key's role may not do this.", await tab.Page.InnerTextAsync("#create-error"), StringComparison.Ordinal);

        await tab.GoAsync("console/keys");
        await tab.Page.Locator("#keys-error").WaitForAsync(Slow);
        Assert.StartsWith("Your key's role may not do this.", await tab.Page.InnerTextAsync("#keys-error"), StringComparison.Ordinal);
        Assert.Equal("true", await tab.Page.GetAttributeAsync(".console", "data-signed-in"));
        await tab.ShotAsync("keys-forbidden-1280");
    }

    private static async Task SearchAsync(ConsoleTab tab, string text)
    {
        var loads = await tab.Page.GetAttributeAsync("section.list", "data-loaded");
        await tab.Page.FillAsync("#case-q", text);
        await tab.Page.ClickAsync("#case-search");
        await tab.Page.WaitForFunctionAsync($"() => document.querySelector('section.list').dataset.loaded !== '{loads}'");
    }

    /// <summary>Presses Tab until the element with <paramref name="id"/> (or matching <paramref name="selector"/>) has the focus.</summary>
    private static async Task TabToAsync(ConsoleTab tab, string? id, string? selector = null)
    {
        var test = id is not null ? $"() => document.activeElement?.id === '{id}'" : $"() => !!document.activeElement?.matches('{selector}')";
        for (var i = 0; i < 60; i++)
        {
            if (await tab.Page.EvaluateAsync<bool>(test))
            {
                return;
            }

            await tab.Page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {id ?? selector}.");
    }

    /// <summary>Every form control in the content has a label (its own, aria-label or aria-labelledby).</summary>
    internal static async Task AssertLabelledAsync(ConsoleTab tab)
    {
        var unlabelled = await tab.Page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('main input, main select, main textarea')]" +
            ".filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))" +
            ".map(e => e.id || e.outerHTML)");
        Assert.Empty(unlabelled);
    }

    /// <summary>Nothing is wider than the phone's screen (no sideways scrolling).</summary>
    internal static async Task AssertFitsAsync(ConsoleTab tab) =>
        Assert.True(await tab.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"The page is wider than the screen: {await tab.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px.");
}
