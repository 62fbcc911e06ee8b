using EvidenceChain.Capture;
using EvidenceChain.Ledger;
using EvidenceChain.Storage;
using Grpc.Core;

namespace EvidenceChain.Node.Internal;

/// <summary>The one mapping from exceptions to gRPC statuses, and from statuses to HTTP status codes.</summary>
internal static class StatusMapping
{
    /// <summary>
    /// The status for a known exception, or null for an unexpected one (a bug or an environment failure), which the
    /// caller logs and reports as <see cref="StatusCode.Internal"/>.
    /// </summary>
    public static Status? ToStatus(Exception exception, bool cancelled) => exception switch
    {
        RpcException rpc => rpc.Status,
        EvidenceRejectedException e => new Status(StatusCode.InvalidArgument, e.Message),
        Ledger.Cases.CaseException e => new Status(CaseStatus(e.Failure), e.Message),
        LimitExceededException e => new Status(StatusCode.ResourceExhausted, e.Message),
        BlobTooLargeException e => new Status(StatusCode.ResourceExhausted, e.Message),
        LedgerBusyException e => new Status(StatusCode.Unavailable, e.Message),
        CaptureRefusedException e => new Status(StatusCode.PermissionDenied, e.Message),
        CaptureBusyException e => new Status(StatusCode.ResourceExhausted, e.Message),
        UploadTooSlowException e => new Status(StatusCode.DeadlineExceeded, e.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => new Status(StatusCode.DeadlineExceeded,
            "The request body arrived too slowly; nothing was kept."),
        BadHttpRequestException e => new Status(StatusCode.InvalidArgument, $"Malformed request: {e.Message}"),
        Google.Protobuf.InvalidProtocolBufferException e => new Status(StatusCode.InvalidArgument, $"Malformed protobuf message: {e.Message}"),
        InvalidDataException e when e.Source == "Grpc.AspNetCore.Server" =>
            new Status(StatusCode.InvalidArgument, $"Malformed gRPC framing: the request was cut off or garbled ({e.Message}); nothing was kept."),
        ObjectDisposedException => new Status(StatusCode.Unavailable, "The node is shutting down; retry against it once it is back."),
        OperationCanceledException or IOException when cancelled || IsClientReset(exception) =>
            new Status(StatusCode.Cancelled, "The call was cancelled by the client."),
        InvalidOperationException when IsReadAfterClientLeft(exception) =>
            new Status(StatusCode.Cancelled, "The call was cancelled by the client."),
        ArgumentException e => new Status(StatusCode.InvalidArgument, e.Message),
        _ => null,
    };

    private static StatusCode CaseStatus(Ledger.Cases.CaseFailure failure) => failure switch
    {
        Ledger.Cases.CaseFailure.NotFound => StatusCode.NotFound,
        Ledger.Cases.CaseFailure.AlreadyExists => StatusCode.AlreadyExists,
        Ledger.Cases.CaseFailure.FailedPrecondition => StatusCode.FailedPrecondition,
        Ledger.Cases.CaseFailure.PermissionDenied => StatusCode.PermissionDenied,
        _ => StatusCode.InvalidArgument,
    };

    // A client that resets a streaming call can race the server's next read of it: grpc-dotnet then throws this,
    // possibly before the call's token is cancelled (seen with server reflection). It is the client leaving.
    private static bool IsReadAfterClientLeft(Exception e) =>
        e.Message.StartsWith("Can't read messages after the request is complete", StringComparison.Ordinal);

    // A client that resets its stream surfaces as an IOException that can arrive before the call's token is cancelled.
    private static bool IsClientReset(Exception e) =>
        e is Microsoft.AspNetCore.Connections.ConnectionResetException
        || (e is IOException && e.Message.Contains("reset", StringComparison.OrdinalIgnoreCase) && e.Message.Contains("client", StringComparison.OrdinalIgnoreCase));

    /// <summary>The HTTP status code gRPC JSON transcoding uses for <paramref name="code"/>.</summary>
    public static int ToHttp(StatusCode code) => code switch
    {
        StatusCode.OK => StatusCodes.Status200OK,
        StatusCode.Cancelled => 499,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };
}
