using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EvidenceChain.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EvidenceChain.Web.Tests.Console;

/// <summary>"My evidence" (GET /v1/entries:search) and the entry page: facts in words, screenshot, downloads, verify.</summary>
public sealed class EvidenceTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private const string Hostile = "<img src=x onerror=alert(1)>";
    private readonly ConsoleFixture _fixture = fixture;

    [ChromiumFact]
    public async Task MyEvidence_Search_ByTextDigestKindAndDate()
    {
        var (key, _) = await _fixture.CreateKeyAsync("submitter", "Searcher");
        var lease = _fixture.WriteFile("lease-agreement.pdf", 30_000, 51);
        var leaseIndex = await _fixture.PreserveAsync(key, lease, "Lease 2026");
        var invoiceIndex = await _fixture.PreserveAsync(key, _fixture.WriteFile("invoice-0042.pdf", 20_000, 52));
        var pageIndex = await CaptureAsync(key, _fixture.Site.Url("/page.html").AbsoluteUri);
        await using var tab = await _fixture.SignedInAsync("console/evidence", key);

        Assert.Equal([pageIndex, invoiceIndex, leaseIndex], await RowsAsync(tab)); // newest first, Jane's entries not among them

        await tab.Page.FillAsync("#q", "lease");
        Assert.Equal([leaseIndex], await SearchAsync(tab));
        Assert.Contains("Lease 2026", await tab.Page.InnerTextAsync("table.entries"), StringComparison.Ordinal);

        await tab.Page.FillAsync("#q", string.Empty);
        await tab.Page.FillAsync("#digest", Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(lease))).ToUpperInvariant());
        Assert.Equal([leaseIndex], await SearchAsync(tab));

        await tab.Page.FillAsync("#digest", string.Empty);
        await tab.Page.SelectOptionAsync("#kind", "webpage");
        Assert.Equal([pageIndex], await SearchAsync(tab));

        await tab.Page.SelectOptionAsync("#kind", string.Empty);
        var tomorrow = DateTime.UtcNow.Date.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await tab.Page.FillAsync("#from", tomorrow);
        var late = await SearchAsync(tab);
        Assert.True(late.Length == 0, string.Join('\n', tab.Urls.Where(u => u.Contains("search", StringComparison.Ordinal))));
        Assert.Equal("No evidence matches this search.", (await tab.Page.InnerTextAsync("#evidence-empty")).Trim());

        await tab.Page.FillAsync("#from", DateTime.UtcNow.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await tab.Page.FillAsync("#to", DateTime.UtcNow.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal([pageIndex, invoiceIndex, leaseIndex], await SearchAsync(tab));
    }

    [ChromiumFact]
    public async Task MyEvidence_ManyEntries_PagesNewestFirst()
    {
        var (key, _) = await _fixture.CreateKeyAsync("submitter", "Prolific");
        var indices = new List<ulong>();
        for (var i = 0; i < 23; i++)
        {
            indices.Add(await _fixture.PreserveAsync(key, _fixture.WriteFile($"photo-{i:00}.jpg", 1000 + i, 100 + i)));
        }

        indices.Reverse();
        await using var tab = await _fixture.SignedInAsync("console/evidence", key);

        Assert.Equal(indices.Take(20), await RowsAsync(tab));
        await AfterLoadAsync(tab, () => tab.Page.ClickAsync("#next-page"));
        Assert.Equal(indices.Skip(20), await RowsAsync(tab));
        Assert.True(await tab.Page.IsDisabledAsync("#next-page"));
    }

    [ChromiumFact]
    public async Task HostileTitles_AreShownAsText()
    {
        var (key, _) = await _fixture.CreateKeyAsync("submitter", Hostile);
        var index = await PreserveWithAsync(key, Hostile + ".pdf", Hostile, "<script>alert(2)</script>");
        await using var tab = await _fixture.SignedInAsync("console/evidence", key);

        Assert.Contains(Hostile, await tab.Page.InnerTextAsync("table.entries"), StringComparison.Ordinal);
        await tab.GoAsync($"console/entries/{index}");
        await tab.Page.WaitForSelectorAsync("#entry-title");
        Assert.Equal(Hostile, await tab.Page.InnerTextAsync("#entry-title"));
        Assert.Contains("<script>alert(2)</script>", await tab.Page.InnerTextAsync("dd[data-field='description']"), StringComparison.Ordinal);
        Assert.Contains(Hostile, await tab.Page.InnerTextAsync("#who"), StringComparison.Ordinal);
        Assert.Equal(0, await tab.Page.EvaluateAsync<int>("() => document.querySelectorAll('img[src=x], script:not([src]):not([type=importmap])').length"));
        Assert.Empty(tab.Dialogs);
        await tab.ScreenshotAsync("console-entry-hostile-1280");
    }

    [ChromiumFact]
    public async Task EntryPage_File_SaysWhatTheLeafSaysAndDownloadsReceiptAndCertificate()
    {
        await using var tab = await _fixture.SignedInAsync($"console/entries/{_fixture.PreservedIndex}");
        await tab.Page.WaitForSelectorAsync("#entry-title");

        Assert.Equal("Signed statement", await tab.Page.InnerTextAsync("#entry-title"));
        var sentence = await tab.Page.InnerTextAsync("#entry-sentence");
        Assert.Contains("The file “statement.pdf” (146.5 KiB) was preserved.", sentence, StringComparison.Ordinal);
        Assert.Contains($"by key {_fixture.JaneId} as entry #{_fixture.PreservedIndex}", sentence, StringComparison.Ordinal);
        Assert.Equal("statement.pdf", await tab.Page.InnerTextAsync("dd[data-field='file-name']"));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(_fixture.Preserved)));
        Assert.Contains(sha256, await tab.Page.InnerTextAsync("section.artefacts"), StringComparison.Ordinal);
        await tab.ScreenshotAsync("console-entry-1280");

        var artefact = await DownloadAsync(tab, "section.artefacts button.download");
        Assert.Equal(await File.ReadAllBytesAsync(_fixture.Preserved), artefact.Bytes);
        Assert.Equal("statement.pdf", artefact.Name);

        var receipt = await DownloadAsync(tab, "#download-receipt");
        Assert.Equal($"entry-{_fixture.PreservedIndex}.evidence.zip", receipt.Name);
        using (var zip = new ZipArchive(new MemoryStream(receipt.Bytes)))
        {
            Assert.NotNull(zip.GetEntry("entry.json"));
            Assert.NotNull(zip.GetEntry("disclosed.json")); // fetched with the key, so the committed fields' openings are in it
        }

        var certificate = await DownloadAsync(tab, "#download-certificate");
        Assert.Equal($"certificate-{_fixture.PreservedIndex}.pdf", certificate.Name);
        Assert.Equal("%PDF-"u8.ToArray(), certificate.Bytes[..5]);
        Assert.Contains(tab.Urls, u => u.EndsWith($"/v1/entries/{_fixture.PreservedIndex}/certificate.pdf?with_artefacts=true", StringComparison.Ordinal));

        await tab.Page.SetViewportSizeAsync(390, 900);
        await tab.ScreenshotAsync("console-entry-390");
    }

    [ChromiumFact]
    public async Task EntryPage_Verify_OpensTheVerifierWithTheReceiptLoaded()
    {
        await using var tab = await _fixture.SignedInAsync($"console/entries/{_fixture.PreservedIndex}");
        await tab.Page.WaitForSelectorAsync("#entry-title");
        var posts = tab.Urls.Count;

        await tab.Page.ClickAsync("#open-verifier");

        // The navigation only has to start here: loading the verifier's WebAssembly can take longer than Playwright's
        // default 30 s on a loaded 2-core machine (a CI run failed so), and the verdict below waits up to 120 s for it.
        await tab.Page.WaitForURLAsync("**/verify", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 120_000 });
        await tab.Page.WaitForSelectorAsync("[data-verdict]", new PageWaitForSelectorOptions { Timeout = 120_000 });
        Assert.Equal("pass", await tab.Page.GetAttributeAsync("[data-verdict]", "data-verdict"));
        Assert.Equal($"entry-{_fixture.PreservedIndex}.evidence.zip", await tab.Page.GetAttributeAsync("li[data-file]", "data-file"));
        Assert.DoesNotContain(tab.Urls.Skip(posts), u => u.Contains("/v1/", StringComparison.Ordinal) && !u.Contains("receipt.zip", StringComparison.Ordinal));
        await tab.ScreenshotAsync("console-entry-verified-1280");
    }

    [ChromiumFact]
    public async Task EntryPage_WebPage_ShowsTheScreenshotAsAnImage()
    {
        var index = await CaptureAsync(_fixture.JaneKey, _fixture.Site.Url("/page.html").AbsoluteUri, browser: true);
        await using var tab = await _fixture.SignedInAsync($"console/entries/{index}");

        await tab.Page.WaitForFunctionAsync("() => document.querySelector('#entry-screenshot')?.naturalWidth > 0", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        Assert.StartsWith("blob:", await tab.Page.GetAttributeAsync("#entry-screenshot", "src"), StringComparison.Ordinal);
        Assert.Equal(0, await tab.Page.Locator("iframe, object, embed").CountAsync()); // captured HTML is never shown inline
        Assert.Contains("capture.warc", await tab.Page.InnerTextAsync("section.artefacts"), StringComparison.Ordinal);
        Assert.Contains("was captured by the node (capture complete)", await tab.Page.InnerTextAsync("#entry-sentence"), StringComparison.Ordinal);
        await tab.ScreenshotAsync("console-entry-webpage-1280");
        await tab.Page.SetViewportSizeAsync(390, 900);
        await tab.ScreenshotAsync("console-entry-webpage-390");
        await tab.GoAsync("console/evidence");
        await tab.ScreenshotAsync("console-evidence-390");
        await tab.Page.SetViewportSizeAsync(1280, 900);
        await tab.ScreenshotAsync("console-evidence-1280");
    }

    private static async Task<ulong[]> RowsAsync(ConsoleTab tab)
    {
        await tab.Page.WaitForSelectorAsync("section.list[aria-busy='false']");
        var rows = await tab.Page.Locator("table.entries tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.index)");
        return [.. rows.Select(r => ulong.Parse(r, CultureInfo.InvariantCulture))];
    }

    private static async Task<ulong[]> SearchAsync(ConsoleTab tab)
    {
        await AfterLoadAsync(tab, () => tab.Page.ClickAsync("#search"));
        return await RowsAsync(tab);
    }

    private static async Task AfterLoadAsync(ConsoleTab tab, Func<Task> action)
    {
        var before = await tab.Page.GetAttributeAsync("section.list", "data-loaded");
        await action();
        await tab.Page.WaitForFunctionAsync("n => document.querySelector('section.list').dataset.loaded !== n", before);
    }

    private static async Task<(string Name, byte[] Bytes)> DownloadAsync(ConsoleTab tab, string button)
    {
        var download = await tab.Page.RunAndWaitForDownloadAsync(() => tab.Page.ClickAsync(button), new PageRunAndWaitForDownloadOptions { Timeout = 120_000 });
        var path = await download.PathAsync();
        return (download.SuggestedFilename, await File.ReadAllBytesAsync(path!));
    }

    private async Task<ulong> PreserveWithAsync(string key, string name, string title, string description)
    {
        var url = $"/v1/files?file_name={Uri.EscapeDataString(name)}&title={Uri.EscapeDataString(title)}&description={Uri.EscapeDataString(description)}";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("hostile " + name)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _fixture.Node.Http.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, json);
        using var document = JsonDocument.Parse(json);
        return ulong.Parse(document.RootElement.GetProperty("entry").GetProperty("index").GetString()!, CultureInfo.InvariantCulture);
    }

    private async Task<ulong> CaptureAsync(string key, string url, bool browser = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/captures")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { url, noBrowser = !browser }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _fixture.Node.Http.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, json);
        using var document = JsonDocument.Parse(json);
        return ulong.Parse(document.RootElement.GetProperty("entry").GetProperty("index").GetString()!, CultureInfo.InvariantCulture);
    }
}
