using EvidenceChain.Core.Digests;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Capture.Internal;

/// <summary>
/// Packages what a capture fetched (<see cref="CapturedPage"/>) as evidence: the environment record, one WARC/1.1
/// file of the whole exchange, and the payload, screenshot, DOM and session video as artefacts of their own, each hashed as it is
/// written into a fresh working folder.
/// </summary>
/// <remarks>Stateless beyond its settings; thread-safe.</remarks>
internal sealed class CapturePackager(CaptureOptions options, string browser, string workFolder, ILogger logger)
{
    /// <summary>Writes the artefacts of <paramref name="page"/> and returns the result that owns their folder.</summary>
    public async Task<CaptureResult> PackageAsync(CapturedPage page, CancellationToken ct)
    {
        var (first, hops, failure, outcome) = (page.First, page.Hops, page.Failure, page.Outcome);
        var environment = new EnvironmentRecord
        {
            Options = options,
            NodeTime = page.Started,
            TrustedTime = page.TrustedTime,
            TrustedTimeNote = page.TrustedTimeNote,
            RenderRequested = page.RenderRequested,
            Browser = browser,
            Url = first.AbsoluteUri,
            FinalUrl = page.FinalUrl,
            Failure = failure,
            Rendering = page.Rendering,
            Hops = hops,
            Resources = page.Resources,
            BrowserBlocked = [.. outcome?.Blocked ?? [], .. page.ResourceBlocked],
            BrowserNotes = [.. outcome?.Notes ?? [], .. page.ResourceNotes],
        }.ToJson();

        var folder = Path.Combine(workFolder, "evidencechain-capture-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var artefacts = new List<CapturedArtefact>();
        try
        {
            var warcPath = Path.Combine(folder, CaptureWarc.FileName);
            var warc = await HashingStream.WriteFileAsync(warcPath, options.Sm3,
                s => CaptureWarc.WriteAsync(s, first.AbsoluteUri, page.Started, page.Lookups, hops, page.Resources, environment, outcome, options, ct), ct);
            artefacts.Add(new CapturedArtefact(CaptureWarc.FileName, "application/warc", warcPath, warc));
            var last = hops.Count > 0 ? hops[^1] : null;
            if (failure is null && last is not null)
            {
                artefacts.Add(await WriteArtefactAsync(folder, "payload", PayloadMediaType(last), last.Payload, ct));
            }

            if (outcome is not null)
            {
                artefacts.Add(await WriteArtefactAsync(folder, "screenshot.png", "image/png", outcome.Screenshot, ct));
                artefacts.Add(await WriteArtefactAsync(folder, "dom.html", "text/html; charset=utf-8", outcome.Dom, ct));
                if (outcome.Video is { } video)
                {
                    artefacts.Add(await WriteArtefactAsync(folder, "video.webm", "video/webm", video, ct));
                }
            }
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }

        var result = new CaptureResult(folder)
        {
            Url = first.AbsoluteUri,
            FinalUrl = page.FinalUrl,
            HttpStatus = hops.Count > 0 ? hops[^1].StatusCode : 0,
            Failure = failure,
            Rendering = page.Rendering,
            RemoteAddress = hops.Count > 0 ? hops[^1].Remote.Address.ToString() : string.Empty,
            Redirects = page.Redirects,
            Started = page.Started,
            EnvironmentSha256 = ArtefactHasher.Compute(environment, withSm3: false).Sha256,
            Artefacts = artefacts,
        };
        var safe = CaptureLog.Safe(first);
        if (failure is null)
        {
            CaptureLog.Completed(logger, safe, result.HttpStatus, result.RemoteAddress, page.Redirects, page.Rendering);
        }
        else
        {
            CaptureLog.Failed(logger, safe, failure.ReasonName, CaptureLog.Safe(failure.Message, hops.Select(h => h.Url).Append(first)));
        }

        return result;
    }

    // The media type of the main payload: the essence of Content-Type when it is well formed.
    private static string PayloadMediaType(HopRecord hop)
    {
        var value = hop.Head?.Get("Content-Type");
        var essence = value?.Split(';')[0].Trim().ToLowerInvariant();
        return essence is { Length: > 2 and <= 127 } && essence.Count(c => c == '/') == 1 && essence.All(c => char.IsAsciiLetterOrDigit(c) || "/!#$&-^_.+".Contains(c, StringComparison.Ordinal))
            ? essence
            : "application/octet-stream";
    }

    private async Task<CapturedArtefact> WriteArtefactAsync(string folder, string name, string mediaType, byte[] content, CancellationToken ct)
    {
        var path = Path.Combine(folder, name);
        var digests = await HashingStream.WriteFileAsync(path, options.Sm3, s => s.WriteAsync(content, ct).AsTask(), ct);
        return new CapturedArtefact(name, mediaType, path, digests);
    }
}
