using EvidenceChain.Core;
using EvidenceChain.Core.Digests;

namespace EvidenceChain.Ledger;

/// <summary>
/// A finished web-page capture as the ledger preserves it: what was asked and what came back, and the files the
/// capture produced with the digests computed as they were written. Immutable.
/// </summary>
/// <param name="Url">The URL asked for.</param>
/// <param name="FinalUrl">The URL of the last hop fetched.</param>
/// <param name="HttpStatus">The last response's HTTP status; 0 when there was none.</param>
/// <param name="Failure">Empty for a complete capture; else the failure reason's name (<c>refused</c>, <c>timeout</c>, ...).</param>
/// <param name="FailureMessage">The failure as a sentence naming the rule or limit; empty when complete.</param>
/// <param name="Rendering">What the browser did (<c>rendered</c>, <c>skipped: ...</c>, <c>failed: ...</c>).</param>
/// <param name="RemoteAddress">The address of the last hop; empty when none.</param>
/// <param name="Redirects">Redirects followed.</param>
/// <param name="EnvironmentSha256">SHA-256 of the capture-environment record inside the WARC.</param>
/// <param name="Artefacts">The files: the WARC first, then payload, screenshot, DOM when present.</param>
public sealed record WebPageCapture(
    string Url, string FinalUrl, int HttpStatus, string Failure, string FailureMessage, string Rendering, string RemoteAddress,
    int Redirects, Hash EnvironmentSha256, IReadOnlyList<WebPageArtefact> Artefacts)
{
    /// <summary>
    /// The submitter asked to keep the URL out of the public log: the leaf then holds the URLs, the remote address and
    /// the failure sentence as salted commitments (docs/formats.md §9). False by default.
    /// </summary>
    public bool PrivateUrl { get; init; }

    /// <summary>
    /// Extra attributes naming what asked for the capture: <c>capture-job</c> and <c>capture-job-item</c> for a URL of a
    /// capture job, <c>watch</c> and <c>watch-slot</c> for a watch's slot (docs/formats.md §20), so that after a
    /// crash the node finds the entry it made. They may not repeat a capture attribute. Empty by default.
    /// </summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>One file a capture produced. Immutable.</summary>
/// <param name="Name">Its name in the entry (<c>capture.warc</c>, <c>payload</c>, <c>screenshot.png</c>, <c>dom.html</c>).</param>
/// <param name="MediaType">IANA media type.</param>
/// <param name="Path">The file to preserve.</param>
/// <param name="Digests">The digests the capture computed when it wrote the file.</param>
public sealed record WebPageArtefact(string Name, string MediaType, string Path, ArtefactDigests Digests);
