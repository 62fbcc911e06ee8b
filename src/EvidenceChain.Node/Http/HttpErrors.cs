using EvidenceChain.Node.Internal;
using Grpc.Core;

namespace EvidenceChain.Node.Http;

/// <summary>
/// Errors of the plain HTTP endpoints, in the shape gRPC JSON transcoding uses (<c>{"code":N,"message":"..."}</c>
/// with the matching HTTP status), so that clients handle every endpoint alike.
/// </summary>
internal static class HttpErrors
{
    private const long MaxLingerBytes = 1 << 20;
    private static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(2);

    public static Task WriteAsync(HttpContext http, Status status)
    {
        http.Response.StatusCode = StatusMapping.ToHttp(status.StatusCode);
        return http.Response.WriteAsJsonAsync(new ErrorBody((int)status.StatusCode, status.Detail, []));
    }

    /// <summary>An error result with an HTTP status of its own (415, 413) and the nearest gRPC code in the body.</summary>
    public static IResult Result(int httpStatus, StatusCode code, string message) =>
        Results.Json(new ErrorBody((int)code, message, []), statusCode: httpStatus);

    /// <summary>Runs <paramref name="handler"/>, turning exceptions into error responses as the gRPC interceptor does.</summary>
    public static async Task GuardAsync(HttpContext http, ILogger logger, bool detailed, Func<Task> handler)
    {
        try
        {
            await handler();
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            var status = StatusMapping.ToStatus(e, http.RequestAborted.IsCancellationRequested);
            if (status is null)
            {
                NodeLog.UnexpectedError(logger, http.Request.Path, e);
                status = new Status(StatusCode.Internal, detailed ? $"Internal error: {e.GetType().Name}: {e.Message}" : "Internal error; the node's log has the details.");
            }

            if (status.Value.StatusCode == StatusCode.DeadlineExceeded && e is UploadTooSlowException or BadHttpRequestException)
            {
                // The client was too slow, not an upstream: 408 rather than transcoding's 504.
                http.Response.StatusCode = StatusCodes.Status408RequestTimeout;
                http.Response.Headers.Connection = "close";
                await http.Response.WriteAsJsonAsync(new ErrorBody((int)status.Value.StatusCode, status.Value.Detail, []));
                await http.Response.CompleteAsync();
                await LingerAsync(http.Request.Body);
                return;
            }

            await WriteAsync(http, status.Value);
        }
    }

    /// <summary>
    /// After a 408 the client may still be sending its body. Closing at once would make the next bytes it sends meet a
    /// TCP reset, which discards the unread 408 on the client's side ("connection reset" instead of the answer), so
    /// the rest of the body is read and dropped for a short, bounded while first (nginx's lingering close).
    /// </summary>
    private static async Task LingerAsync(Stream body)
    {
        using var linger = new CancellationTokenSource(LingerTime);
        var buffer = new byte[4096];
        try
        {
            for (long dropped = 0; dropped < MaxLingerBytes;)
            {
                var read = await body.ReadAsync(buffer, linger.Token);
                if (read == 0)
                {
                    return;
                }

                dropped += read;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException or InvalidOperationException)
        {
            // the client stopped sending, or the while is over: the connection closes now
        }
    }

    private sealed record ErrorBody(int Code, string Message, object[] Details);
}
