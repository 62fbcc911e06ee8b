using System.Globalization;
using System.Security.Cryptography;
using EvidenceChain.Api.V1;
using EvidenceChain.Testing.Node;
using EvidenceChain.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EvidenceChain.Web.Tests.Console;

/// <summary>Preserving files from the console: XHR uploads streamed to POST /v1/files, each with progress and cancel.</summary>
public sealed class PreserveTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private const string Hostile = "<img src=x onerror=alert(1)>";
    private readonly ConsoleFixture _fixture = fixture;

    [ChromiumFact]
    public async Task Preserve_SeveralFilesAtOnce_EachUploadsWithProgressAndBecomesAnEntry()
    {
        var files = new[]
        {
            _fixture.WriteFile("minutes.txt", 40_000, 11),
            _fixture.WriteFile(Hostile + ".txt", 60_000, 12),
            _fixture.WriteFile("recording.bin", 6 << 20, 13),
        };
        await using var tab = await _fixture.SignedInAsync("console/preserve");
        await ThrottleUploadsAsync(tab, 3 << 20);
        await RecordProgressAsync(tab);

        await tab.Page.SetInputFilesAsync("#preserve-input", files);

        await tab.Page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('li.upload')].length === 3 && [...document.querySelectorAll('li.upload')].every(li => li.dataset.state === 'done')",
            null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        await tab.ScreenshotAsync("console-preserve-1280");
        foreach (var file in files)
        {
            var row = tab.Page.Locator("li.upload").Filter(new LocatorFilterOptions { Has = tab.Page.Locator($"text={Path.GetFileName(file)}") });
            var link = (await row.Locator("a.entrylink").InnerTextAsync()).Trim();
            var index = ulong.Parse(link[(link.IndexOf('#', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
            var entry = await _fixture.Node.Evidence.GetEntryAsync(new GetEntryRequest { Index = index }, TestNode.As(_fixture.JaneKey));
            Assert.Equal(Path.GetFileName(file), entry.Disclosed["file-name"]);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))), entry.Artefacts[0].Sha256);
            Assert.Equal(_fixture.JaneId, entry.Submitter);
        }

        // The big file showed its upload under way: a progress value strictly between 0 and 100 while uploading.
        var seen = await tab.Page.EvaluateAsync<string[]>("() => window.__progress.filter(p => p.startsWith('recording.bin|uploading|'))");
        Assert.Contains(seen, s => int.Parse(s.Split('|')[2], CultureInfo.InvariantCulture) is > 0 and < 100);

        // The hostile name is text: no image element made from it, no script ran.
        Assert.Equal(0, await tab.Page.EvaluateAsync<int>("() => document.querySelectorAll('img[src=x]').length"));
        Assert.Contains(Hostile + ".txt", await tab.Page.InnerTextAsync("ul.uploadlist"), StringComparison.Ordinal);
        Assert.Empty(tab.Dialogs);
    }

    [ChromiumFact]
    public async Task Preserve_TooLarge_ShowsTheNodesRefusal()
    {
        var big = _fixture.WriteFile("too-big.bin", (int)ConsoleFixture.MaxFileSize + 4096, 21);
        await using var tab = await _fixture.SignedInAsync("console/preserve");

        await tab.Page.SetInputFilesAsync("#preserve-input", big);

        await tab.Page.WaitForSelectorAsync("li.upload[data-state='failed']", new PageWaitForSelectorOptions { Timeout = 60_000 });
        var reason = await tab.Page.InnerTextAsync("li.upload .reason");
        Assert.Contains("larger than the limit", reason, StringComparison.Ordinal);
        Assert.Contains("Limits:MaxFileSize", reason, StringComparison.Ordinal);
        await tab.ScreenshotAsync("console-preserve-refused-1280");
    }

    [ChromiumFact]
    public async Task Preserve_Cancel_StopsTheUploadAndKeepsNothing()
    {
        var file = _fixture.WriteFile("cancel-me.bin", 7 << 20, 31);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file)));
        await using var tab = await _fixture.SignedInAsync("console/preserve");
        await ThrottleUploadsAsync(tab, 512 << 10);

        await tab.Page.SetInputFilesAsync("#preserve-input", file);
        await tab.Page.WaitForFunctionAsync("() => Number(document.querySelector('li.upload[data-state=uploading] progress')?.value) > 0", null,
            new PageWaitForFunctionOptions { Timeout = 60_000 });
        await tab.Page.ClickAsync("li.upload button.cancel");

        await tab.Page.WaitForSelectorAsync("li.upload[data-state='cancelled']");
        var found = await _fixture.Node.Evidence.FindEntriesAsync(new FindEntriesRequest { Sha256 = sha256 });
        Assert.Empty(found.Entries);
    }

    [ChromiumFact]
    public async Task Preserve_FileAlreadyPreserved_SaysSoWithALinkAndMayPreserveAgain()
    {
        await using var tab = await _fixture.SignedInAsync("console/preserve");

        await tab.Page.SetInputFilesAsync("#preserve-input", _fixture.Preserved);

        await tab.Page.WaitForSelectorAsync("li.upload[data-state='duplicate']", new PageWaitForSelectorOptions { Timeout = 60_000 });
        var existing = tab.Page.Locator("li.upload a.existing");
        Assert.Equal($"#{_fixture.PreservedIndex}", (await existing.InnerTextAsync()).Trim());
        Assert.EndsWith($"/console/entries/{_fixture.PreservedIndex}", await existing.EvaluateAsync<string>("a => a.href"), StringComparison.Ordinal);
        await tab.ScreenshotAsync("console-preserve-duplicate-1280");

        await tab.Page.ClickAsync("li.upload button.again");

        await tab.Page.WaitForSelectorAsync("li.upload[data-state='done']", new PageWaitForSelectorOptions { Timeout = 60_000 });
        Assert.NotEqual($"View entry #{_fixture.PreservedIndex}", (await tab.Page.InnerTextAsync("li.upload a.entrylink")).Trim());
    }

    [ChromiumFact]
    public async Task Preserve_Narrow_Screenshot()
    {
        await using var tab = await _fixture.SignedInAsync("console/preserve", width: 390);

        await tab.Page.SetInputFilesAsync("#preserve-input", _fixture.WriteFile("photo-of-the-contract.jpg", 90_000, 41));

        await tab.Page.WaitForSelectorAsync("li.upload[data-state='done']", new PageWaitForSelectorOptions { Timeout = 60_000 });
        await tab.ScreenshotAsync("console-preserve-390");
    }

    // DevTools network throttling: the upload takes long enough for its progress to be seen and cancelled.
    private static async Task ThrottleUploadsAsync(ConsoleTab tab, int bytesPerSecond)
    {
        var cdp = await tab.Page.Context.NewCDPSessionAsync(tab.Page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false,
            ["latency"] = 0,
            ["downloadThroughput"] = -1,
            ["uploadThroughput"] = bytesPerSecond,
        });
    }

    // Every (file, state, progress value) the page shows, as "name|state|value", in window.__progress.
    private static Task<System.Text.Json.JsonElement?> RecordProgressAsync(ConsoleTab tab) => tab.Page.EvaluateAsync("""
        () => {
          window.__progress = [];
          new MutationObserver(() => {
            for (const li of document.querySelectorAll('li.upload')) {
              const p = li.querySelector('progress');
              window.__progress.push(`${li.dataset.file}|${li.dataset.state}|${p ? p.value : ''}`);
            }
          }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        }
        """);
}
