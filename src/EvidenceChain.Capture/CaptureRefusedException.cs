namespace EvidenceChain.Capture;

/// <summary>
/// The capture was refused before any connection: the URL is not absolute http(s), carries credentials, or every
/// address its host resolves to is refused by the SSRF guard. Nothing was fetched or recorded. The message names the
/// rule, e.g. "refused: 10.0.0.5 is a private address (RFC 1918); allow it with Capture:AllowedNetworks".
/// </summary>
public sealed class CaptureRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    internal CaptureRefusedException(string rule, string message)
        : base(message)
    {
        Rule = rule;
    }

    /// <summary>Creates the exception.</summary>
    internal CaptureRefusedException()
    {
        Rule = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    internal CaptureRefusedException(string message)
        : base(message)
    {
        Rule = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    internal CaptureRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Rule = string.Empty;
    }

    /// <summary>The rule that refused: <c>scheme</c>, <c>url</c>, <c>credentials</c>, or an address rule such as <c>private-address</c>.</summary>
    public string Rule { get; }
}
