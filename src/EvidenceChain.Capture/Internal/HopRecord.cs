using System.Net;

namespace EvidenceChain.Capture.Internal;

/// <summary>One request/response exchange of a capture, recorded raw.</summary>
internal sealed class HopRecord
{
    public required Uri Url { get; init; }

    public required IPEndPoint Remote { get; init; }

    /// <summary>What the browser asked for it as (<c>Image</c>, <c>Script</c>, ...); null for the capture's own hops.</summary>
    public string? ResourceType { get; init; }

    public byte[] Request { get; set; } = [];

    public DateTimeOffset RequestDate { get; set; }

    /// <summary>The response bytes as read from the connection (TLS removed), up to the size limit.</summary>
    public byte[] Response { get; set; } = [];

    public DateTimeOffset ResponseDate { get; set; }

    public HttpHead? Head { get; set; }

    /// <summary>The body with chunked transfer coding removed, content coding kept.</summary>
    public byte[] Payload { get; set; } = [];

    /// <summary>The WARC-Truncated reason when the response is incomplete: <c>length</c>, <c>time</c>, <c>disconnect</c>.</summary>
    public string? Truncated { get; set; }

    public TlsRecord? Tls { get; set; }

    public HopTimings Timings { get; } = new();

    public CaptureFailure? Failure { get; set; }

    public int StatusCode => Head?.StatusCode ?? 0;
}
