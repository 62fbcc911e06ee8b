namespace EvidenceChain.Web.Console;

/// <summary>The node refused a call: its HTTP status, gRPC code and message (shown to the user as the node wrote it).</summary>
internal sealed class ApiException(int status, int code, string message) : Exception(message)
{
    /// <summary>The HTTP status; 0 when the node could not be reached.</summary>
    public int Status { get; } = status;

    /// <summary>The gRPC status code of the error body (16 unauthenticated, 7 permission denied, 8 resource exhausted, ...).</summary>
    public int Code { get; } = code;
}
