namespace EvidenceChain.LoadTest.RawGrpc;

/// <summary>
/// The node broke the HTTP/2 or HPACK rules in a way that ends the whole connection (RFC 9113 §5.4.1); every call
/// still on it fails.
/// </summary>
internal sealed class Http2ConnectionException : Exception
{
    public Http2ConnectionException(int errorCode, string message)
        : base(message) => ErrorCode = errorCode;

    public Http2ConnectionException()
    {
    }

    public Http2ConnectionException(string message)
        : base(message)
    {
    }

    public Http2ConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP/2 error code for the GOAWAY this would deserve, such as 0x1 PROTOCOL_ERROR.</summary>
    public int ErrorCode { get; } = 0x1;
}
