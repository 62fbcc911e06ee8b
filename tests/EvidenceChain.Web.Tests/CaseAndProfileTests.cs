using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EvidenceChain.Web.Tests.Infrastructure;

namespace EvidenceChain.Web.Tests;

/// <summary>A case export verified on the page, as verify-case does: one line per export check, item and event.</summary>
public sealed class CaseExportPageTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    [ChromiumFact]
    public async Task CaseExport_Verified_WithALinePerItemAndEvent_AndATamperedOneFails()
    {
        var manager = await fixture.Node.CreateKeyAsync("case-manager");
        var created = await PostAsync(manager, "/v1/cases", new { title = "Li v. Zhang Co.", reference = "(2026) Hu 0101 Min Chu 123" });
        var id = created.GetProperty("case").GetProperty("id").GetString()!;
        await PostAsync(manager, $"/v1/cases/{id}:attach", new { index = fixture.Index });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/cases/{id}/export.zip");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", manager);
        using var response = await fixture.Node.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var export = Path.Combine(fixture.Folder, $"case-{id}.zip");
        await File.WriteAllBytesAsync(export, await response.Content.ReadAsByteArrayAsync());
        await using var session = await fixture.OpenAsync();

        var verdict = await session.VerifyAsync(export);

        Assert.Equal("pass", verdict);
        var steps = await session.StepsAsync();
        Assert.Equal("pass", steps["export layout"]);
        Assert.Equal("pass", steps[$"item {fixture.Index}"]);
        Assert.Contains(steps, s => s.Key.StartsWith("event ", StringComparison.Ordinal) && s.Value == "pass");
        Assert.All(steps, s => Assert.Equal("pass", s.Value));
        Assert.Contains(id, await session.Page.InnerTextAsync(".facts"), StringComparison.Ordinal);
        await session.ScreenshotAsync("case-verified-1280");

        var receipt = steps.Keys.First(k => k.StartsWith("event ", StringComparison.Ordinal));
        var tampered = fixture.Tamper(export, "case-tampered.zip", "manifest.note", b =>
        {
            var copy = (byte[])b.Clone();
            copy[40] ^= 1;
            return copy;
        });
        await session.Page.ClickAsync("text=Clear all");
        Assert.Equal("fail", await session.VerifyAsync(tampered));
        Assert.NotEmpty(receipt);
        Assert.Contains((await session.StepsAsync()).Values, v => v == "fail");
    }

    private async Task<JsonElement> PostAsync(string key, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await fixture.Node.Http.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, json);
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}

/// <summary>A node on the national profile (SM2 checkpoint line, SM3 digests) and its receipt on the page.</summary>
public sealed class NationalProfilePageTests(NationalProfilePageTests.Fixture fixture) : IClassFixture<NationalProfilePageTests.Fixture>
{
    [ChromiumFact]
    public async Task NationalReceipt_Verified_WithTheSm2LineAndSm3Digests()
    {
        await using var session = await fixture.OpenAsync();
        Assert.NotNull(await session.Page.QuerySelectorAsync("[data-anchor='sm2-key']"));

        var verdict = await session.VerifyAsync(fixture.Receipt, fixture.Original);
        await session.ScreenshotAsync("national-verified-1280");

        var steps = await session.StepsAsync();
        Assert.True(verdict == "pass", $"{verdict}: {string.Join(", ", steps)}; {await session.Page.EvaluateAsync<string>("() => document.querySelector('#verdict-reason')?.innerText ?? ''")}");
        Assert.Equal("pass", steps["SM2 checkpoint signature"]);
        Assert.Equal("pass", steps["artefact file"]);
        Assert.Contains("sm3 ", await session.Page.InnerTextAsync("[data-step='artefact file']"), StringComparison.Ordinal);
        Assert.Contains("SM3", await session.Page.InnerTextAsync(".facts"), StringComparison.Ordinal);
    }

    public sealed class Fixture : PageFixture
    {
        protected override string[] Settings => ["--NationalCrypto", "true"];
    }
}
