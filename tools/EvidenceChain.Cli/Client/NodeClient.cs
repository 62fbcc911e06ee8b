using EvidenceChain.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace EvidenceChain.Cli.Client;

/// <summary>
/// One connection to a node: the three service clients and the call options (bearer key, cancellation) every call
/// uses. <see cref="RunAsync"/> runs a command against it and turns the node's errors into messages and exit codes.
/// </summary>
/// <remarks>Not thread-safe; one per command run.</remarks>
internal sealed class NodeClient : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private readonly GrpcChannel _channel;

    private NodeClient(NodeSettings settings, CancellationToken cancellation)
    {
        Settings = settings;
        _channel = GrpcChannel.ForAddress(settings.Address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectTimeout = ConnectTimeout, EnableMultipleHttp2Connections = true },
            DisposeHttpClient = true,
        });
        var headers = new Metadata();
        if (settings.ApiKey is not null)
        {
            headers.Add("authorization", "Bearer " + settings.ApiKey);
        }

        Options = new CallOptions(headers, cancellationToken: cancellation);
        Evidence = new EvidenceService.EvidenceServiceClient(_channel);
        Log = new LogService.LogServiceClient(_channel);
        Admin = new AdminService.AdminServiceClient(_channel);
        Cases = new CaseService.CaseServiceClient(_channel);
        Capture = new CaptureService.CaptureServiceClient(_channel);
        Jobs = new CaptureJobService.CaptureJobServiceClient(_channel);
        Watches = new WatchService.WatchServiceClient(_channel);
    }

    public NodeSettings Settings { get; }

    /// <summary>The options for every call: the API key, if any, and the command's cancellation.</summary>
    public CallOptions Options { get; }

    public CancellationToken Cancellation => Options.CancellationToken;

    public EvidenceService.EvidenceServiceClient Evidence { get; }

    public LogService.LogServiceClient Log { get; }

    public AdminService.AdminServiceClient Admin { get; }

    public CaseService.CaseServiceClient Cases { get; }

    public CaptureService.CaptureServiceClient Capture { get; }

    public CaptureJobService.CaptureJobServiceClient Jobs { get; }

    public WatchService.WatchServiceClient Watches { get; }

    /// <summary>
    /// Runs <paramref name="command"/> against the node in <paramref name="settings"/>. A gRPC error prints
    /// <c>evidencectl: &lt;status&gt;: &lt;message&gt;</c> and exits 1 (2 for InvalidArgument); an unreachable node
    /// prints its address.
    /// </summary>
    public static async Task<int> RunAsync(NodeSettings settings, CliConsole console, Func<NodeClient, Task<int>> command)
    {
        using var client = new NodeClient(settings, console.Cancellation);
        try
        {
            return await command(client);
        }
        catch (RpcException e)
        {
            return await NodeErrors.ReportAsync(e, settings, console);
        }
        catch (BadReplyException e)
        {
            await console.Error.WriteLineAsync($"evidencectl: the node at {settings.Address} sent a malformed reply: {e.Message}");
            return ExitCode.Failed;
        }
        catch (OperationCanceledException) when (console.Cancellation.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("evidencectl: cancelled");
            return ExitCode.Failed;
        }
    }

    public void Dispose() => _channel.Dispose();
}
