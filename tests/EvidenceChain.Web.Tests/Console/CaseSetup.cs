using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using EvidenceChain.Core.Notes;
using EvidenceChain.Verifier.Receipts;
using EvidenceChain.Verifier.Timestamps;
using EvidenceChain.Web.Tests.Infrastructure;

namespace EvidenceChain.Web.Tests.Console;

/// <summary>What the case and key tests prepare through the node's JSON API (as a script would), and how they check it.</summary>
internal static class CaseSetup
{
    /// <summary>A value that runs a script wherever it is rendered as HTML rather than text.</summary>
    public const string Hostile = "<img src=x onerror=alert(1)>";

    /// <summary>Creates a case over HTTP with <paramref name="key"/>; returns its id.</summary>
    public static async Task<string> CreateCaseAsync(this ConsoleFixture fixture, string key, string title, string reference = "", params (string Name, string Role)[] parties)
    {
        var body = new { title, reference, parties = parties.Select(p => new { name = p.Name, role = p.Role }).ToArray() };
        using var document = await fixture.PostAsync(key, "/v1/cases", body);
        return document.RootElement.GetProperty("case").GetProperty("id").GetString()!;
    }

    public static async Task AttachAsync(this ConsoleFixture fixture, string key, string caseId, ulong index)
    {
        using var _ = await fixture.PostAsync(key, $"/v1/cases/{caseId}:attach", new { index });
    }

    /// <summary>Captures <paramref name="url"/> with <paramref name="key"/>; returns the entry index.</summary>
    public static async Task<ulong> CaptureAsync(this ConsoleFixture fixture, string key, Uri url)
    {
        using var document = await fixture.PostAsync(key, "/v1/captures", new { url = url.ToString() });
        return ulong.Parse(document.RootElement.GetProperty("entry").GetProperty("index").GetString()!, CultureInfo.InvariantCulture);
    }

    public static async Task<JsonDocument> PostAsync(this ConsoleFixture fixture, string key, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await fixture.Node.Http.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {json}");
        return JsonDocument.Parse(json);
    }

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>What a verifier of this node's exports pins: its log key and its TSA's CA certificate, from its data folder.</summary>
    public static ReceiptTrust Trust(this ConsoleFixture fixture) => new()
    {
        LogKey = NoteVerifier.Parse(File.ReadAllText(Path.Combine(fixture.Node.DataPath, "keys", "log.vkey")).Trim()),
        TsaCas = TimestampVerifier.ReadPem(File.ReadAllText(Path.Combine(fixture.Node.DataPath, "keys", "tsa-ca.pem"))),
    };

    /// <summary>A full-page screenshot from the top (a sticky header would otherwise be drawn where the page was scrolled to).</summary>
    public static async Task ShotAsync(this ConsoleTab tab, string name)
    {
        await tab.Page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await tab.ScreenshotAsync(name);
    }

    /// <summary>Fails when a hostile value was rendered as HTML anywhere on the page or ran a script.</summary>
    public static async Task AssertNoInjectionAsync(this ConsoleTab tab)
    {
        Assert.Equal(0, await tab.Page.Locator("img[src='x']").CountAsync());
        Assert.Empty(tab.Dialogs);
    }
}
