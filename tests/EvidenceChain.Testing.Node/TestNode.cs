using EvidenceChain.Api.V1;
using EvidenceChain.Node;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Testing.Node;

/// <summary>
/// A real node for tests: Kestrel on 127.0.0.1 with port 0 for gRPC and HTTP, a temporary data folder, its log
/// captured, a gRPC channel and an HTTP client to it, and the admin key it created on first start. One per test class
/// (an xunit class fixture) or per test.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly TempFolder? _temp;

    private TestNode(EvidenceNode node, LogCapture logs, TempFolder? temp, string adminKey)
    {
        Node = node;
        Logs = logs;
        _temp = temp;
        AdminKey = adminKey;
        Channel = GrpcChannel.ForAddress(node.GrpcAddress, new GrpcChannelOptions { MaxReceiveMessageSize = 64 << 20 });
        Http = new HttpClient { BaseAddress = node.HttpAddress };
        Evidence = new EvidenceService.EvidenceServiceClient(Channel);
        Log = new LogService.LogServiceClient(Channel);
        Admin = new AdminService.AdminServiceClient(Channel);
    }

    public EvidenceNode Node { get; }

    public LogCapture Logs { get; }

    /// <summary>The first admin key's bearer token.</summary>
    public string AdminKey { get; }

    public GrpcChannel Channel { get; }

    /// <summary>An HTTP/1.1 client whose base address is the node's HTTP address.</summary>
    public HttpClient Http { get; }

    public EvidenceService.EvidenceServiceClient Evidence { get; }

    public LogService.LogServiceClient Log { get; }

    public AdminService.AdminServiceClient Admin { get; }

    public string DataPath => Node.DataPath;

    /// <summary>
    /// Starts a node on a new temporary data folder, or on <paramref name="dataPath"/> (kept on dispose), with
    /// <paramref name="settings"/> as extra command-line settings (e.g. <c>--Limits:MaxFileSize 1000</c>).
    /// </summary>
    public static async Task<TestNode> StartAsync(string? dataPath = null, params string[] settings)
    {
        var temp = dataPath is null ? new TempFolder() : null;
        var logs = new LogCapture();
        string[] args = ["--data", dataPath ?? temp!.Sub("data"), "--grpc", "http://127.0.0.1:0", "--http", "http://127.0.0.1:0", .. settings];
        using var timeout = new CancellationTokenSource(StartTimeout);
        EvidenceNode node;
        try
        {
            node = await EvidenceNode.StartAsync(args, b =>
            {
                b.Logging.ClearProviders();
                b.Logging.SetMinimumLevel(LogLevel.Debug);
                b.Logging.AddProvider(logs);
            }, timeout.Token);
        }
        catch (Exception e)
        {
            temp?.Dispose();
            throw new InvalidOperationException($"The node did not start: {e.Message}\nLog:\n{logs.Dump()}", e);
        }

        var adminKey = node.AdminKeyPath is { } path ? (await File.ReadAllTextAsync(path)).Trim() : string.Empty;
        return new TestNode(node, logs, temp, adminKey);
    }

    /// <summary>Call options carrying <paramref name="key"/> as the bearer token.</summary>
    public static CallOptions As(string key) => new(new Metadata { { "authorization", "Bearer " + key } });

    /// <summary>Creates an API key with <paramref name="role"/> and returns its bearer token.</summary>
    public async Task<string> CreateKeyAsync(string role, string description = "test")
    {
        var response = await Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = role, Description = description }, As(AdminKey));
        return response.Secret;
    }

    /// <summary>Fails when the node logged an error or worse (the ones a test provoked on purpose are listed in <paramref name="expectedEventIds"/>).</summary>
    public void AssertNoErrors(params int[] expectedEventIds)
    {
        var errors = Logs.Records.Where(r => r.Level >= LogLevel.Error && !expectedEventIds.Contains(r.EventId)).ToList();
        Assert.True(errors.Count == 0, "Unexpected error logs:\n" + string.Join('\n', errors));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Channel.Dispose();
        await Node.DisposeAsync();
        _temp?.Dispose();
    }
}
