namespace EvidenceChain.Capture;

/// <summary>Why a capture failed, as a reason and a sentence naming the rule, limit or error. Immutable.</summary>
/// <param name="Reason">The kind of failure.</param>
/// <param name="Message">What happened, e.g. "refused: 10.0.0.5 is a private address (RFC 1918); allow it with Capture:AllowedNetworks".</param>
/// <param name="Rule">The guard rule that refused, e.g. <c>private-address</c>; empty for other failures.</param>
public sealed record CaptureFailure(CaptureFailureReason Reason, string Message, string Rule = "")
{
    /// <summary>The reason's wire name: <c>refused</c>, <c>dns-failure</c>, <c>timeout</c>, ...</summary>
    public string ReasonName => Reason switch
    {
        CaptureFailureReason.Refused => "refused",
        CaptureFailureReason.DnsFailure => "dns-failure",
        CaptureFailureReason.ConnectFailed => "connect-failed",
        CaptureFailureReason.TlsFailed => "tls-failed",
        CaptureFailureReason.Timeout => "timeout",
        CaptureFailureReason.TooLarge => "too-large",
        CaptureFailureReason.TooManyRedirects => "too-many-redirects",
        CaptureFailureReason.ProtocolError => "protocol-error",
        _ => "none",
    };
}
