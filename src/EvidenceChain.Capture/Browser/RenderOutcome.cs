namespace EvidenceChain.Capture.Browser;

/// <summary>What the browser produced. Immutable.</summary>
/// <param name="Screenshot">The full-page PNG.</param>
/// <param name="Dom">The rendered DOM, serialised as HTML (UTF-8).</param>
/// <param name="Date">When the render finished (node clock).</param>
/// <param name="Blocked">Requests the guard refused while rendering, each as "URL: reason".</param>
/// <param name="Notes">Anything else the record should say (e.g. the screenshot was cut at the height limit).</param>
public sealed record RenderOutcome(byte[] Screenshot, byte[] Dom, DateTimeOffset Date, IReadOnlyList<string> Blocked, IReadOnlyList<string> Notes)
{
    /// <summary>True when <see cref="Dom"/> is only the start of the DOM (Capture:MaxDomBytes); a note gives its length.</summary>
    public bool DomTruncated { get; init; }

    /// <summary>
    /// The session video (WebM): the page loading, then scrolled from top to bottom; null when none was made (no ffmpeg,
    /// or it failed or was too large: a note says which).
    /// </summary>
    public byte[]? Video { get; init; }

    /// <summary>Every request the browser sent to the guarded proxy, as "METHOD target", refused or not.</summary>
    internal IReadOnlyList<string> ProxyRequests { get; init; } = [];

    /// <summary>Every request the browser made by itself, outside the page's context, refused by the sink.</summary>
    internal IReadOnlyList<string> OwnRequests { get; init; } = [];
}
