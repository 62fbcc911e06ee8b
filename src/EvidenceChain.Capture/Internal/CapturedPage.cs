using EvidenceChain.Capture.Browser;

namespace EvidenceChain.Capture.Internal;

/// <summary>
/// Everything a capture fetched and saw, ready to be packaged (<see cref="CapturePackager"/>): the URL asked for and
/// where it ended, the clocks, the DNS answers and HTTP hops, the browser's outcome, and how it failed if it did.
/// </summary>
/// <remarks>Holds the mutable hop and lookup records of one capture; used by that capture only.</remarks>
internal sealed record CapturedPage
{
    /// <summary>The URL asked for, after <see cref="PageCapturer.CheckUrl"/>.</summary>
    public required Uri First { get; init; }

    /// <summary>The URL of the last hop (the first URL when nothing was fetched).</summary>
    public required string FinalUrl { get; init; }

    /// <summary>The node's time when the capture started.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>The independent TSA's time, when there is one.</summary>
    public required DateTimeOffset? TrustedTime { get; init; }

    /// <summary>Where <see cref="TrustedTime"/> came from, or why there is none.</summary>
    public required string TrustedTimeNote { get; init; }

    /// <summary>Whether rendering was asked for.</summary>
    public required bool RenderRequested { get; init; }

    /// <summary>Every host resolved, with its answers and the address used.</summary>
    public required IReadOnlyCollection<DnsLookup> Lookups { get; init; }

    /// <summary>The HTTP exchanges, in order: the first request and each redirect followed.</summary>
    public required List<HopRecord> Hops { get; init; }

    /// <summary>The exchanges made for the browser (its page's images, scripts, styles, ...), in the order they finished.</summary>
    public IReadOnlyList<HopRecord> Resources { get; init; } = [];

    /// <summary>The browser's requests the guard refused, each as "URL: reason" (never fetched).</summary>
    public IReadOnlyList<string> ResourceBlocked { get; init; } = [];

    /// <summary>What the record should say about the resources: failures, cuts, limits reached.</summary>
    public IReadOnlyList<string> ResourceNotes { get; init; } = [];

    /// <summary>Why the capture failed, or null.</summary>
    public required CaptureFailure? Failure { get; init; }

    /// <summary>What the browser produced, or null when the page was not rendered.</summary>
    public required RenderOutcome? Outcome { get; init; }

    /// <summary>How rendering went, in words ("rendered", "skipped: ...", "failed: ...").</summary>
    public required string Rendering { get; init; }

    /// <summary>The number of redirects followed.</summary>
    public required int Redirects { get; init; }
}
