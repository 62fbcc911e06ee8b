using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using Microsoft.Playwright;

namespace EvidenceChain.Web.Tests.Infrastructure;

/// <summary>
/// A real node serving the page, one file preserved on it with its receipt zip (from GET receipt.zip) and the
/// original written to a temporary folder, and Debian's chromium. Shared by the tests of a class.
/// </summary>
public class PageFixture : IAsyncLifetime, IDisposable
{
    private IPlaywright? _playwright;
    private readonly TempFolder _temp = new();

    public TestNode Node { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string SubmitterKey { get; private set; } = null!;

    /// <summary>The preserved original, as the user has it.</summary>
    public string Original { get; private set; } = null!;

    /// <summary>The receipt zip the node gave for it.</summary>
    public string Receipt { get; private set; } = null!;

    public ulong Index { get; private set; }

    public Uri PageUrl => new(Node.Node.HttpAddress, "/verify");

    public string Folder => _temp.Path;

    protected virtual string[] Settings => [];

    public async Task InitializeAsync()
    {
        Node = await TestNode.StartAsync(null, Settings);
        SubmitterKey = await Node.CreateKeyAsync("submitter");
        Original = Path.Combine(Folder, "contract.pdf");
        await File.WriteAllBytesAsync(Original, Content(200_000, 7));
        (Index, Receipt) = await PreserveAsync(Original, "application/pdf");
        if (Infrastructure.Browser.Chromium is not null || Infrastructure.Browser.InCi)
        {
            (_playwright, Browser) = await Infrastructure.Browser.LaunchAsync();
        }
    }

    /// <summary>Preserves <paramref name="path"/> over HTTP and saves its receipt zip beside it; returns the index and the zip's path.</summary>
    public async Task<(ulong Index, string Receipt)> PreserveAsync(string path, string mediaType)
    {
        using var request = new HttpRequestMessage(
            HttpMethod.Post, $"/v1/files?file_name={Uri.EscapeDataString(Path.GetFileName(path))}&media_type={Uri.EscapeDataString(mediaType)}&wait_for_receipt=true")
        {
            Content = new ByteArrayContent(await File.ReadAllBytesAsync(path)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SubmitterKey);
        using var response = await Node.Http.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, json);
        using var document = JsonDocument.Parse(json);
        var index = ulong.Parse(document.RootElement.GetProperty("entry").GetProperty("index").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var receipt = Path.Combine(Folder, Path.GetFileNameWithoutExtension(path) + ".evidence.zip");
        await File.WriteAllBytesAsync(receipt, await Node.Http.GetByteArrayAsync($"/v1/entries/{index}/receipt.zip?wait=true"));
        return (index, receipt);
    }

    /// <summary>Deterministic bytes.</summary>
    public static byte[] Content(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A copy of <paramref name="zip"/> named <paramref name="name"/> with one member's bytes changed by <paramref name="change"/>.</summary>
    public string Tamper(string zip, string name, string member, Func<byte[], byte[]> change)
    {
        var path = Path.Combine(Folder, name);
        using (var source = ZipFile.OpenRead(zip))
        using (var target = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach (var entry in source.Entries)
            {
                using var input = entry.Open();
                using var buffer = new MemoryStream();
                input.CopyTo(buffer);
                var bytes = entry.FullName == member ? change(buffer.ToArray()) : buffer.ToArray();
                using var output = target.CreateEntry(entry.FullName).Open();
                output.Write(bytes);
            }
        }

        return path;
    }

    public Task<PageSession> OpenAsync(int width = 1280, string locale = "en-US") => PageSession.OpenAsync(Browser, PageUrl, width, locale);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Node.DisposeAsync();
        Dispose();
    }

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
