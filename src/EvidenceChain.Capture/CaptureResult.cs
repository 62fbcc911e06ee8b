using EvidenceChain.Core;

namespace EvidenceChain.Capture;

/// <summary>
/// What a capture produced: complete, or failed with the reason, never a silent partial one. Its artefacts are files in
/// a working folder that <see cref="Dispose"/> deletes, so preserve them first.
/// </summary>
/// <remarks>Not thread-safe to dispose concurrently with reading the files.</remarks>
public sealed class CaptureResult : IDisposable
{
    internal CaptureResult(string folder)
    {
        Folder = folder;
    }

    /// <summary>The URL asked for.</summary>
    public required string Url { get; init; }

    /// <summary>The URL of the last hop fetched (after redirects); the asked URL when no hop was fetched.</summary>
    public required string FinalUrl { get; init; }

    /// <summary>The HTTP status of the last response, or 0 when there was none.</summary>
    public required int HttpStatus { get; init; }

    /// <summary>Why the capture failed; null when it is complete.</summary>
    public required CaptureFailure? Failure { get; init; }

    /// <summary>True when the network capture completed (whatever the HTTP status).</summary>
    public bool IsComplete => Failure is null;

    /// <summary>
    /// What the browser did: <c>rendered</c>, <c>skipped: ...</c> (no browser, not requested, network capture failed)
    /// or <c>failed: ...</c>; the screenshot and DOM exist only when rendered.
    /// </summary>
    public required string Rendering { get; init; }

    /// <summary>The address the last hop connected to; empty when none.</summary>
    public required string RemoteAddress { get; init; }

    /// <summary>Redirects followed.</summary>
    public required int Redirects { get; init; }

    /// <summary>When the capture started (node clock).</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>The SHA-256 of the capture-environment record (the WARC's metadata record block).</summary>
    public required Hash EnvironmentSha256 { get; init; }

    /// <summary>The files produced, the WARC first; then the main payload, screenshot and DOM when there are.</summary>
    public required IReadOnlyList<CapturedArtefact> Artefacts { get; init; }

    /// <summary>The working folder holding the artefacts.</summary>
    public string Folder { get; }

    /// <summary>The WARC file (always present, also for a failed capture).</summary>
    public CapturedArtefact Warc => Artefacts[0];

    /// <summary>Deletes the working folder.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
