namespace EvidenceChain.Capture.Warc;

/// <summary>WARC/1.1 field names and record types (ISO 28500:2017) used by the capture.</summary>
internal static class WarcFields
{
    /// <summary>The version line written.</summary>
    public const string Version = "WARC/1.1";

    /// <summary>WARC-Type.</summary>
    public const string Type = "WARC-Type";

    /// <summary>WARC-Record-ID.</summary>
    public const string RecordId = "WARC-Record-ID";

    /// <summary>WARC-Date.</summary>
    public const string Date = "WARC-Date";

    /// <summary>WARC-Target-URI.</summary>
    public const string TargetUri = "WARC-Target-URI";

    /// <summary>WARC-IP-Address.</summary>
    public const string IpAddress = "WARC-IP-Address";

    /// <summary>WARC-Concurrent-To.</summary>
    public const string ConcurrentTo = "WARC-Concurrent-To";

    /// <summary>WARC-Warcinfo-ID.</summary>
    public const string WarcinfoId = "WARC-Warcinfo-ID";

    /// <summary>WARC-Block-Digest.</summary>
    public const string BlockDigest = "WARC-Block-Digest";

    /// <summary>WARC-Payload-Digest.</summary>
    public const string PayloadDigest = "WARC-Payload-Digest";

    /// <summary>WARC-Truncated: why a block ends early (<c>length</c>, <c>time</c>, <c>disconnect</c>, <c>unspecified</c>).</summary>
    public const string Truncated = "WARC-Truncated";

    /// <summary>WARC-Filename (warcinfo records).</summary>
    public const string Filename = "WARC-Filename";

    /// <summary>Content-Type.</summary>
    public const string ContentType = "Content-Type";

    /// <summary>Content-Length.</summary>
    public const string ContentLength = "Content-Length";

    /// <summary>The content type of a request block.</summary>
    public const string HttpRequestType = "application/http; msgtype=request";

    /// <summary>The content type of a response block.</summary>
    public const string HttpResponseType = "application/http; msgtype=response";
}
