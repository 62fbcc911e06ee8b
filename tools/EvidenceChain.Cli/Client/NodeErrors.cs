using System.Net.Sockets;
using Grpc.Core;

namespace EvidenceChain.Cli.Client;

/// <summary>Turns a gRPC error into one line on stderr and an exit code.</summary>
internal static class NodeErrors
{
    /// <summary>
    /// Prints <c>evidencectl: &lt;status&gt;: &lt;message&gt;</c>, or for a node that cannot be reached, its address.
    /// Returns <see cref="ExitCode.Usage"/> for InvalidArgument (the node refused the request as malformed) and
    /// <see cref="ExitCode.Failed"/> for everything else.
    /// </summary>
    public static async Task<int> ReportAsync(RpcException e, NodeSettings settings, CliConsole console)
    {
        if (Unreachable(e) is { } reason)
        {
            await console.Error.WriteLineAsync(
                $"evidencectl: cannot reach the node at {settings.Address}: {reason}. Is it running? Give its gRPC address with --node or {NodeSettings.NodeVariable}.");
            return ExitCode.Failed;
        }

        var hint = e.StatusCode == StatusCode.Unauthenticated && settings.ApiKey is null
            ? $" (no API key was given: use --api-key, --api-key-file or {NodeSettings.KeyVariable})"
            : string.Empty;
        await console.Error.WriteLineAsync($"evidencectl: {e.StatusCode}: {e.Status.Detail}{hint}");
        return e.StatusCode == StatusCode.InvalidArgument ? ExitCode.Usage : ExitCode.Failed;
    }

    /// <summary>The transport's reason when the call failed before reaching a node, else null.</summary>
    private static string? Unreachable(RpcException e)
    {
        if (e.StatusCode != StatusCode.Unavailable)
        {
            return null;
        }

        for (var inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException or HttpRequestException)
            {
                var innermost = inner;
                while (innermost.InnerException is not null)
                {
                    innermost = innermost.InnerException;
                }

                return innermost.Message.TrimEnd('.');
            }
        }

        return null;
    }
}
