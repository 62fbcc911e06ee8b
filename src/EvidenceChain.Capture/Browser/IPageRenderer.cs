using System.Net;
using EvidenceChain.Capture.Guard;

namespace EvidenceChain.Capture.Browser;

/// <summary>Renders a page in a browser whose every connection goes through the SSRF guard.</summary>
public interface IPageRenderer
{
    /// <summary>A short description of the browser for the environment record, e.g. "Chromium 120.0 (/usr/bin/chromium)".</summary>
    string Description { get; }

    /// <summary>
    /// Loads <paramref name="url"/> and returns a full-page PNG screenshot and the rendered DOM. Requests to addresses
    /// <paramref name="guard"/> refuses are blocked and listed in the outcome. The hosts in <paramref name="pinned"/>
    /// (those the capture itself fetched) are reached at the address given, the one the recorded exchange used.
    /// </summary>
    Task<RenderOutcome> RenderAsync(
        Uri url, AddressGuard guard, IReadOnlyDictionary<string, IPAddress> pinned, CaptureOptions options, CancellationToken cancellationToken);
}
