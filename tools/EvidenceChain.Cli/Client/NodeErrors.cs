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
        if (WrongProtocol(e, settings.Address) is { } problem)
        {
            await console.Error.WriteLineAsync($"evidencectl: {problem}");
            return ExitCode.Failed;
        }

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

    /// <summary>
    /// What to do when something answered at the address but not as a gRPC node would: TLS against a plaintext port,
    /// or plaintext HTTP/2 against a port that answers HTTP/1.1 (the node's HTTP port, 5081 by default) or TLS. Null
    /// for any other failure.
    /// </summary>
    private static string? WrongProtocol(RpcException e, Uri address)
    {
        var errors = Chain(e.Status.DebugException).OfType<HttpRequestException>().Select(h => h.HttpRequestError).ToList();
        var plain = new UriBuilder(address) { Scheme = "http" }.Uri.GetLeftPart(UriPartial.Authority);
        if (errors.Contains(HttpRequestError.SecureConnectionError) || Chain(e.Status.DebugException).Any(x => x is System.Security.Authentication.AuthenticationException))
        {
            return address.Scheme == "https"
                ? $"the port at {address} does not speak TLS; for a plaintext port give --node {plain}"
                : $"the TLS handshake with {address} failed; check the node's certificate";
        }

        // Kestrel's HTTP/1.1-only endpoint never completes the HTTP/2 handshake; grpc-dotnet may then report only the
        // message, as Internal: "Error starting gRPC call. HttpRequestException: An HTTP/2 connection could not be ...".
        var http2Refused = Chain(e.Status.DebugException).OfType<HttpRequestException>().Any(h => h.Message.Contains("HTTP/2", StringComparison.Ordinal))
            || (e.Status.Detail.Contains(nameof(HttpRequestException), StringComparison.Ordinal) && e.Status.Detail.Contains("HTTP/2", StringComparison.Ordinal));
        if (http2Refused || errors.Any(r => r is HttpRequestError.HttpProtocolError or HttpRequestError.ResponseEnded or HttpRequestError.VersionNegotiationError or HttpRequestError.InvalidResponse))
        {
            return address.Scheme == "https"
                ? $"{address} answered, but not gRPC over HTTP/2: is it the node's HTTP port? Give its gRPC port (default 5080) with --node"
                : $"{address} answered, but not gRPC: is it the node's HTTP port (default 5081)? Give its gRPC port (default 5080) with --node, "
                    + "or an https:// URL if that port uses TLS";
        }

        return null;
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
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
