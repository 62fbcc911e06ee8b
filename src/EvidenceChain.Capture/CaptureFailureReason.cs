namespace EvidenceChain.Capture;

/// <summary>Why a capture failed. The default value is <see cref="None"/>.</summary>
public enum CaptureFailureReason
{
    /// <summary>The capture did not fail.</summary>
    None,

    /// <summary>The SSRF guard refused an address or URL (of a redirect; the first URL's refusal is an error instead).</summary>
    Refused,

    /// <summary>A host name did not resolve.</summary>
    DnsFailure,

    /// <summary>The TCP connection could not be made (refused, unreachable).</summary>
    ConnectFailed,

    /// <summary>The TLS handshake failed (an untrusted certificate is recorded, not a failure).</summary>
    TlsFailed,

    /// <summary>The capture took longer than Capture:Timeout.</summary>
    Timeout,

    /// <summary>A response was larger than Capture:MaxResponseBytes.</summary>
    TooLarge,

    /// <summary>More redirects than Capture:MaxRedirects.</summary>
    TooManyRedirects,

    /// <summary>The server's answer was not an HTTP/1.x response, or it closed the connection early.</summary>
    ProtocolError,
}
