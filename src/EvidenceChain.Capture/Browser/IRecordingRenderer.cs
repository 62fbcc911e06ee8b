using System.Net;
using EvidenceChain.Capture.Guard;

namespace EvidenceChain.Capture.Browser;

/// <summary>
/// A renderer that can hand every request of the page to the capture instead of the network: the capture fetches
/// and records it and the browser renders exactly what was recorded.
/// </summary>
internal interface IRecordingRenderer : IPageRenderer
{
    /// <summary>
    /// Loads <paramref name="url"/> as <see cref="IPageRenderer.RenderAsync"/> does, with every request of the page (its
    /// frames and workers too) paused and answered by <paramref name="fetch"/>. What escapes interception still goes
    /// through the guarded proxy, and the outcome's notes count it.
    /// </summary>
    Task<RenderOutcome> RenderAsync(
        Uri url, AddressGuard guard, IReadOnlyDictionary<string, IPAddress> pinned, CaptureOptions options,
        Func<InterceptedRequest, CancellationToken, Task<InterceptedAnswer>> fetch, CancellationToken cancellationToken);
}
