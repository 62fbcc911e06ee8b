using System.Text;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Witness.Tests;

/// <summary>A <see cref="WitnessHost"/> on 127.0.0.1 port 0 over a temporary folder, and an HTTP client for it.</summary>
internal sealed class WitnessServer : IAsyncDisposable
{
    private readonly bool _ownsFolder;

    private WitnessServer(WitnessHost host, TempFolder folder, bool ownsFolder, CapturedLogs logs)
    {
        Host = host;
        Folder = folder;
        _ownsFolder = ownsFolder;
        Logs = logs;
        Http = new HttpClient { BaseAddress = host.Address };
    }

    public WitnessHost Host { get; }

    public TempFolder Folder { get; }

    public CapturedLogs Logs { get; }

    public HttpClient Http { get; }

    public static async Task<WitnessServer> StartAsync(TempFolder? folder, params NoteVerifier[] logKeys)
    {
        var owns = folder is null;
        folder ??= new TempFolder();
        var logs = new CapturedLogs();
        var host = await WitnessHost.StartAsync("127.0.0.1:0", folder.Path, "witness.test/w1", logKeys, b => b.AddProvider(logs));
        return new WitnessServer(host, folder, owns, logs);
    }

    public async Task<(int Status, string? ContentType, string Body)> PostAsync(string body)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        using var response = await Http.PostAsync("/add-checkpoint", content);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        if (_ownsFolder)
        {
            Folder.Dispose();
        }
    }
}
