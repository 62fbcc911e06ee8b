namespace EvidenceChain.Web.Console;

/// <summary>Where a URL on the capture page is.</summary>
internal enum CaptureState
{
    Waiting,
    Capturing,

    /// <summary>Captured and preserved.</summary>
    Complete,

    /// <summary>The capture started and failed; the failure is preserved as an entry too.</summary>
    Failed,

    /// <summary>Refused before anything was fetched (a guarded address, a bad URL, a limit); nothing was recorded.</summary>
    Refused,
}

/// <summary>One URL the user asked to capture.</summary>
/// <remarks>Used on the browser's one thread only.</remarks>
internal sealed class CaptureItem(int id, string url)
{
    public int Id { get; } = id;

    public string Url { get; } = url;

    public CaptureState State { get; set; }

    public CaptureResult? Result { get; set; }

    /// <summary>The plain-words reason key (capture.why.*) and the node's own words, when failed or refused.</summary>
    public string? ReasonKey { get; set; }

    public string? Detail { get; set; }

    /// <summary>A blob: URL of the screenshot, once fetched.</summary>
    public string? Screenshot { get; set; }
}
