using System.Globalization;
using System.Text;
using EvidenceChain.Core.Entries;

namespace EvidenceChain.Ledger;

/// <summary>
/// Preserves web-page captures, complete or failed: copies each produced file into the blob store, hashing it again
/// on the way and refusing it if it no longer matches the digests taken when it was made, then appends a
/// <c>webpage</c> entry whose leaf lists the URL, final URL, HTTP status, capture status, and the artefacts (the WARC,
/// the main payload, the screenshot, the DOM) with their digests. The reply comes once the entry is durable.
/// </summary>
/// <remarks>
/// A failed capture is recorded too (status <c>failed</c>, the reason, and the WARC of what happened), so a refused
/// redirect or a timeout is itself evidence of what the node saw. Thread-safe.
/// </remarks>
public sealed class WebPageIntake
{
    /// <summary>The entry kind of a captured web page.</summary>
    internal const string Kind = "webpage";

    /// <summary>Longest URL recorded, in UTF-8 bytes.</summary>
    internal const int MaxUrlBytes = 8192;

    /// <summary>
    /// The attributes committed when the submitter asks for a private URL: the URLs, and what names the host (the
    /// address it resolved to, the failure sentence).
    /// </summary>
    internal static readonly string[] PrivateUrlFields = ["url", "final-url", "remote-ip", "failure"];

    private readonly EvidenceLedger _ledger;
    private readonly IBlobStore _blobs;
    private readonly bool _sm3;
    private readonly EntryOpenings _openings;

    /// <summary>Creates the intake over a running ledger and its blob store.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="blobs">Where artefacts are stored.</param>
    /// <param name="sm3">Record SM3 digests beside SHA-256 (the national-crypto profile).</param>
    /// <param name="openings">Where the openings of private URLs are kept.</param>
    public WebPageIntake(EvidenceLedger ledger, IBlobStore blobs, bool sm3, EntryOpenings openings)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(openings);
        _ledger = ledger;
        _blobs = blobs;
        _sm3 = sm3;
        _openings = openings;
    }

    /// <summary>Preserves <paramref name="capture"/> on behalf of <paramref name="submitter"/>; completes once durable.</summary>
    /// <exception cref="EvidenceRejectedException">A URL is too long, or a file changed after the capture hashed it.</exception>
    /// <exception cref="LedgerBusyException">The ledger's queue is full; retry later.</exception>
    public async Task<AppendResult> PreserveAsync(WebPageCapture capture, string submitter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(submitter);
        CheckUrl("url", capture.Url);
        CheckUrl("final-url", capture.FinalUrl);
        if (capture.Artefacts.Count == 0)
        {
            throw new EvidenceRejectedException("A capture has at least its WARC; none was given.");
        }

        var artefacts = new List<Artefact>(capture.Artefacts.Count);
        foreach (var file in capture.Artefacts)
        {
            artefacts.Add(await StoreAsync(file, cancellationToken));
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["url"] = capture.Url,
            ["final-url"] = capture.FinalUrl,
            ["http-status"] = capture.HttpStatus.ToString(CultureInfo.InvariantCulture),
            ["capture-status"] = capture.Failure.Length == 0 ? "complete" : "failed",
            ["rendering"] = capture.Rendering,
            ["redirects"] = capture.Redirects.ToString(CultureInfo.InvariantCulture),
            ["environment-sha256"] = capture.EnvironmentSha256.ToString(),
        };
        if (capture.RemoteAddress.Length > 0)
        {
            attributes["remote-ip"] = capture.RemoteAddress;
        }

        if (capture.Failure.Length > 0)
        {
            attributes["failure-reason"] = capture.Failure;
            attributes["failure"] = capture.FailureMessage;
        }

        foreach (var (name, value) in capture.Tags)
        {
            if (!attributes.TryAdd(name, value))
            {
                throw new EvidenceRejectedException($"The tag {name} repeats a capture attribute.");
            }
        }

        var draft = new EntryDraft(Kind, submitter, artefacts, attributes);
        if (capture.PrivateUrl)
        {
            draft = await _openings.SealAsync(draft, PrivateUrlFields, cancellationToken);
        }

        return await _ledger.AppendAsync(draft, cancellationToken);
    }

    private async Task<Artefact> StoreAsync(WebPageArtefact file, CancellationToken ct)
    {
        var upload = _blobs.BeginUpload(_sm3);
        await using (upload)
        {
            var source = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await using (source)
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    await upload.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }

            var digests = await upload.CompleteAsync(ct);
            if (digests.Size != file.Digests.Size || digests.Sha256 != file.Digests.Sha256 || (file.Digests.Sm3 is { } sm3 && digests.Sm3 != sm3))
            {
                throw new EvidenceRejectedException(
                    $"The captured file {file.Name} changed between capture and preservation: it was {file.Digests.Size} bytes with SHA-256 {file.Digests.Sha256}, now {digests.Size} bytes with {digests.Sha256}; no entry was made.");
            }

            await upload.CommitAsync(ct);
            return new Artefact(file.Name, file.MediaType, digests.Size, digests.Sha256, digests.Sm3);
        }
    }

    private static void CheckUrl(string field, string value)
    {
        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > MaxUrlBytes)
        {
            throw new EvidenceRejectedException($"{field} is {bytes} UTF-8 bytes; the limit is {MaxUrlBytes}.");
        }
    }
}
