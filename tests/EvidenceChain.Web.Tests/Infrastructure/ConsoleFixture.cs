using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using EvidenceChain.Api.V1;
using EvidenceChain.Capture.Tests.Infrastructure;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using Microsoft.Playwright;

namespace EvidenceChain.Web.Tests.Infrastructure;

/// <summary>
/// A real node serving the console (loopback allow-listed for captures, files limited to 8 MiB so a refusal is
/// quick to provoke), a local fixture site to capture, Jane Doe's submitter key with one file she preserved, and
/// Debian's chromium. Shared by the tests of a class.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime, IDisposable
{
    public const long MaxFileSize = 8 << 20;
    private readonly TempFolder _temp = new();
    private IPlaywright? _playwright;

    /// <summary>The node's Limits:MaxFileSize; <see cref="MaxFileSize"/> unless set.</summary>
    public long FileLimit { get; init; } = MaxFileSize;

    public TestNode Node { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public FixtureSite Site { get; } = new();

    /// <summary>Jane Doe's submitter key (secret) and id.</summary>
    public string JaneKey { get; private set; } = null!;

    public string JaneId { get; private set; } = null!;

    /// <summary>A file Jane preserved before the tests: its path and entry index.</summary>
    public string Preserved { get; private set; } = null!;

    public ulong PreservedIndex { get; private set; }

    public string Folder => _temp.Path;

    public async Task InitializeAsync()
    {
        await Site.InitializeAsync();
        Node = await TestNode.StartAsync(null, "--Capture:AllowedNetworks:0", "127.0.0.0/8", "--Capture:Timeout", "00:00:30",
            "--Limits:MaxFileSize", FileLimit.ToString(CultureInfo.InvariantCulture));
        (JaneKey, JaneId) = await CreateKeyAsync("submitter", "Jane Doe");
        Preserved = WriteFile("statement.pdf", 150_000, 3);
        PreservedIndex = await PreserveAsync(JaneKey, Preserved, "Signed statement");
        if (Infrastructure.Browser.Chromium is not null || Infrastructure.Browser.InCi)
        {
            (_playwright, Browser) = await Infrastructure.Browser.LaunchAsync();
        }
    }

    /// <summary>Creates a key; returns its secret and id.</summary>
    public async Task<(string Secret, string Id)> CreateKeyAsync(string role, string description)
    {
        var created = await Node.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = role, Description = description }, TestNode.As(Node.AdminKey));
        return (created.Secret, created.Key.Id);
    }

    public Task RevokeAsync(string id) => Node.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = id }, TestNode.As(Node.AdminKey)).ResponseAsync;

    /// <summary>Writes <paramref name="length"/> deterministic bytes to a file in the temporary folder.</summary>
    public string WriteFile(string name, int length, int seed)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, PageFixture.Content(length, seed));
        return path;
    }

    /// <summary>Preserves <paramref name="path"/> over HTTP with <paramref name="key"/>; returns the entry index.</summary>
    public async Task<ulong> PreserveAsync(string key, string path, string? title = null)
    {
        var query = $"/v1/files?file_name={Uri.EscapeDataString(Path.GetFileName(path))}&media_type=application%2Foctet-stream";
        if (title is not null)
        {
            query += "&title=" + Uri.EscapeDataString(title);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, query) { Content = new ByteArrayContent(await File.ReadAllBytesAsync(path)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await Node.Http.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, json);
        using var document = JsonDocument.Parse(json);
        return ulong.Parse(document.RootElement.GetProperty("entry").GetProperty("index").GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>A new tab at <paramref name="width"/> px in <paramref name="locale"/>, on the console (not signed in).</summary>
    public Task<ConsoleTab> OpenAsync(string path = "console", int width = 1280, string locale = "en-US") =>
        ConsoleTab.OpenAsync(Browser, Node.Node.HttpAddress, path, width, locale);

    /// <summary>A tab signed in with <paramref name="key"/> (Jane's by default) at <paramref name="path"/>.</summary>
    public async Task<ConsoleTab> SignedInAsync(string path = "console", string? key = null, int width = 1280, string locale = "en-US")
    {
        var tab = await OpenAsync("console", width, locale);
        await tab.SignInAsync(key ?? JaneKey);
        if (path != "console")
        {
            await tab.GoAsync(path);
        }

        return tab;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Node.DisposeAsync();
        await Site.DisposeAsync();
        Dispose();
    }

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
