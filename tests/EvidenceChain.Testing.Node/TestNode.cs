using System.Collections.Concurrent;
using EvidenceChain.Api.V1;
using EvidenceChain.Ledger;
using EvidenceChain.Node;
using EvidenceChain.Node.Internal;
using EvidenceChain.Testing.Postgres;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Testing.Node;

/// <summary>
/// A real node for tests: Kestrel on 127.0.0.1 with port 0 for gRPC and HTTP, a temporary data folder, its log
/// captured, a gRPC channel and an HTTP client to it, and the admin key it created on first start. One per test class
/// (an xunit class fixture) or per test. On dispose it fails (throws) when the node logged an error-level entry
/// that no test declared with <see cref="ExpectError"/>, as grpc-dotnet's VerifyNoErrorsScope does, so an unexpected
/// error cannot pass unnoticed in any test that hosts a node.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly TempFolder? _temp;
    private readonly ConcurrentQueue<ExpectedError> _expected = new();

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
    /// The storage driver the nodes of this test run use: <c>files</c> (the default) or <c>postgres</c>, each node's
    /// log then in a schema of the run's database that follows from its data folder (<see cref="PostgresNodeDatabase"/>),
    /// so a node restarted on its folder finds its log. The postgres run of the integration tests sets it once, first.
    /// A test's own <c>--Storage:...</c> settings come after and win.
    /// </summary>
    public static string Driver { get; set; } = "files";

    /// <summary>
    /// Starts a node on a new temporary data folder, or on <paramref name="dataPath"/> (kept on dispose), with
    /// <paramref name="settings"/> as extra command-line settings (e.g. <c>--Limits:MaxFileSize 1000</c>).
    /// </summary>
    public static Task<TestNode> StartAsync(string? dataPath = null, params string[] settings) => StartWithAsync(dataPath, null, settings);

    /// <summary>
    /// As <see cref="StartAsync"/>, with <paramref name="configure"/> changing the host's builder too (e.g. a fake clock
    /// for the watches, registered under its key).
    /// </summary>
    public static async Task<TestNode> StartWithAsync(string? dataPath, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure, params string[] settings)
    {
        var temp = dataPath is null ? new TempFolder() : null;
        var logs = new LogCapture();
        var data = dataPath ?? temp!.Sub("data");
        string[] driver = Driver == "postgres"
            ? ["--Storage:Driver", "postgres", "--Storage:Postgres", await PostgresNodeDatabase.ConnectionStringAsync(), "--Storage:PostgresSchema", PostgresNodeDatabase.SchemaFor(data)]
            : [];
        string[] args = ["--data", data, "--grpc", "http://127.0.0.1:0", "--http", "http://127.0.0.1:0", .. driver, .. settings];
        using var timeout = new CancellationTokenSource(StartTimeout);
        EvidenceNode node;
        try
        {
            node = await EvidenceNode.StartAsync(args, b =>
            {
                b.Logging.ClearProviders();
                b.Logging.SetMinimumLevel(LogLevel.Debug);
                b.Logging.AddProvider(logs);
                configure?.Invoke(b);
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

    /// <summary>
    /// Opens the storage of the node whose data folder is <paramref name="dataPath"/> (stopped) on this run's driver, as
    /// that node opens it: for a test that changes what a node left behind, whatever the driver.
    /// </summary>
    public static async Task<IStorageDriver> OpenStorageAsync(string dataPath)
    {
        var options = new StorageOptions { Driver = Driver };
        if (Driver == "postgres")
        {
            options.Postgres = await PostgresNodeDatabase.ConnectionStringAsync();
            options.PostgresSchema = PostgresNodeDatabase.SchemaFor(dataPath);
        }

        return await StorageDrivers.OpenAsync(options, Path.GetFullPath(dataPath), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
    }

    /// <summary>Call options carrying <paramref name="key"/> as the bearer token.</summary>
    public static CallOptions As(string key) => new(new Metadata { { "authorization", "Bearer " + key } });

    /// <summary>Creates an API key with <paramref name="role"/> and returns its bearer token.</summary>
    public async Task<string> CreateKeyAsync(string role, string description = "test")
    {
        var response = await Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = role, Description = description }, As(AdminKey));
        return response.Secret;
    }

    /// <summary>
    /// Declares an error-level entry the test provokes on purpose: with this event id, from this logger category,
    /// containing <paramref name="messagePart"/>. Without it, such an entry fails the test on dispose.
    /// </summary>
    public void ExpectError(int eventId, string category, string messagePart) => _expected.Enqueue(new ExpectedError(eventId, category, messagePart));

    /// <summary>The error-or-worse entries logged so far that no <see cref="ExpectError"/> declared.</summary>
    public IReadOnlyList<LogRecord> UnexpectedErrors() => ExpectedError.Unexpected(Logs.Records, _expected);

    /// <summary>Fails now when the node logged an error or worse that was not declared with <see cref="ExpectError"/> (dispose checks again).</summary>
    public void AssertNoErrors()
    {
        var errors = UnexpectedErrors();
        Assert.True(errors.Count == 0, "Unexpected error logs (declare the ones a test provokes with TestNode.ExpectError):\n" + string.Join('\n', errors));
    }

    /// <summary>Stops the node, deletes its temporary folder, then throws when it logged an undeclared error.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            Http.Dispose();
            Channel.Dispose();
            await Node.DisposeAsync();
        }
        finally
        {
            _temp?.Dispose();
        }

        // A class fixture's failure reaches the test runner's console as the exception's type only: say what it was.
        var errors = UnexpectedErrors();
        if (errors.Count > 0)
        {
            await Console.Error.WriteLineAsync("TestNode: unexpected error logs:\n" + string.Join('\n', errors));
        }

        AssertNoErrors();
    }
}
