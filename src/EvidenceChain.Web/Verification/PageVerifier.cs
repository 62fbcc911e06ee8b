using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using EvidenceChain.Core;
using EvidenceChain.Core.Digests;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Proofs;
using EvidenceChain.Verifier;
using EvidenceChain.Verifier.Cases;
using EvidenceChain.Verifier.Receipts;
using Microsoft.JSInterop;

namespace EvidenceChain.Web.Verification;

/// <summary>
/// Runs the Verifier on dropped files, in the browser, exactly as <c>evidencectl verify</c> and <c>verify-case</c> do
/// (the same <see cref="ReceiptVerifier"/> and <see cref="CaseExportVerifier"/>, with their default limits), and
/// gathers what the report shows. Files are read in slices from the browser; nothing is sent anywhere.
/// </summary>
/// <remarks>Not thread-safe (the page is single-threaded).</remarks>
internal sealed partial class PageVerifier(IJSObjectReference files)
{
    /// <summary>Verifies a receipt with the originals beside it, under <paramref name="anchors"/>.</summary>
    public async Task<PageReport> VerifyReceiptAsync(
        DroppedFile receipt, IReadOnlyList<DroppedFile> originals, TrustAnchors anchors, Action<long> progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var trust = anchors.ToReceiptTrust();
        if (trust is null)
        {
            return Refuse(receipt, false, "no log key is pinned: load the log's verifier key (log.vkey) under Trust anchors");
        }

        long done = 0;
        var stream = new BrowserFileStream(files, receipt, n => progress(done = n));
        await using (stream.ConfigureAwait(false))
        {
            ReceiptPackage package;
            try
            {
                package = await ReceiptArchive.OpenAsync(stream, cancellationToken: cancellationToken);
            }
            catch (ReceiptFormatException e)
            {
                return Refuse(receipt, false, e.Message);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or JSException)
            {
                return Refuse(receipt, false, $"the file cannot be read as a receipt zip: {e.Message}");
            }

            await using (package.ConfigureAwait(false))
            {
                var listed = ListedNames(package.Evidence.Entry);
                var local = originals.Select(o => new ReceiptArtefact(
                    ArtefactName(o.Name, listed, originals.Count),
                    _ => Task.FromResult<Stream>(new BrowserFileStream(files, o, n => progress(done + n))))
                {
                    DigestsAsync = (withSm3, ct) => HashInBrowserAsync(o, withSm3, n => progress(done + n), ct),
                }).ToList();
                var evidence = package.Evidence with { Artefacts = [.. package.Evidence.Artefacts, .. local] };
                var report = await ReceiptVerifier.VerifyAsync(evidence, trust, cancellationToken);
                var page = Describe(receipt, report, evidence, package, anchors, [.. originals.Select(o => o.Name)]);
                page.Screenshot = await ScreenshotAsync(package, report, cancellationToken);
                page.Elapsed = clock.Elapsed;
                return page;
            }
        }
    }

    /// <summary>
    /// An original's size, SHA-256 and (when the entry lists it) SM3, computed by the page's JavaScript (digests.js)
    /// while it reads the file in slices: V8 compiles that to machine code, where .NET's managed hashes run in the
    /// WebAssembly interpreter at a few MB/s.
    /// </summary>
    private async Task<ArtefactDigests?> HashInBrowserAsync(DroppedFile file, bool withSm3, Action<long> progress, CancellationToken cancellationToken)
    {
        BrowserDigests digests;
        try
        {
            digests = await files.InvokeAsync<BrowserDigests>("hashFile", cancellationToken, file.Id, withSm3);
        }
        catch (JSException e)
        {
            throw new IOException(e.Message, e);
        }

        progress(digests.Size);
        return new ArtefactDigests(digests.Size, Hash.Parse(digests.Sha256), digests.Sm3 is null ? null : Hash.Parse(digests.Sm3));
    }

    /// <summary>What digests.js returns for a file.</summary>
    private sealed record BrowserDigests(long Size, string Sha256, string? Sm3);

    /// <summary>
    /// The name an original is checked under: its own when the entry lists it; otherwise, when the entry lists one
    /// artefact and one original is given, that artefact's (a file entry names its artefact neutrally, <c>file</c>,
    /// and the user's copy has its own name); otherwise its own, and the step says which names the entry lists.
    /// </summary>
    private static string ArtefactName(string name, List<string> listed, int originals) =>
        listed.Contains(name) || listed.Count != 1 || originals != 1 ? name : listed[0];

    private static List<string> ListedNames(ReadOnlyMemory<byte> leaf)
    {
        try
        {
            return [.. LeafCodec.Parse(leaf.Span).Draft.Artefacts.Select(a => a.Name)];
        }
        catch (LeafFormatException)
        {
            return [];
        }
    }

    /// <summary>Verifies a case export under <paramref name="anchors"/>.</summary>
    public async Task<PageReport> VerifyCaseAsync(DroppedFile export, TrustAnchors anchors, Action<long> progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var trust = anchors.ToReceiptTrust();
        if (trust is null)
        {
            return Refuse(export, true, "no log key is pinned: load the log's verifier key (log.vkey) under Trust anchors");
        }

        if (anchors.TsaCas.Count == 0)
        {
            return Refuse(export, true, "no TSA CA is pinned: load the TSA's CA certificate (tsa-ca.pem) under Trust anchors");
        }

        CaseExportReport report;
        var stream = new BrowserFileStream(files, export, progress);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                report = await CaseExportVerifier.VerifyAsync(stream, trust, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (e is NotSupportedException or JSException)
            {
                return Refuse(export, true, $"the file cannot be read as a case export zip: {e.Message}");
            }
        }

        var lines = report.Entries.Select(e =>
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{(e.IsEvent ? "event" : "item")} {e.Index}");
            var timestamp = e.Report.Steps.FirstOrDefault(s => s.Name == "timestamp");
            var match = e.Report.Steps.LastOrDefault(s => s.Name == "manifest");
            if (e.IsValid)
            {
                return new CaseLine(name, e.Member, true, $"{match?.Detail}; {timestamp?.Detail}", e.Report);
            }

            var failure = e.Report.FirstFailure ?? timestamp ?? new VerificationStep("timestamp", false, "not checked");
            return new CaseLine(name, e.Member, false, $"{failure.Name}: {failure.Detail}", e.Report);
        }).ToList();

        string? reason = null;
        if (!report.IsValid)
        {
            reason = report.Export.FirstFailure is { } f ? $"{f.Name}: {f.Detail}"
                : lines.FirstOrDefault(l => !l.Passed) is { } l ? $"{l.Name} ({l.Member}): {l.Detail}"
                : "the export holds no receipt";
        }

        return new PageReport
        {
            FileName = export.Name,
            IsCase = true,
            Report = report.Export,
            CaseLines = lines,
            Verified = report.IsValid,
            Reason = reason,
            CaseId = report.Manifest?.CaseId,
            CaseTitle = report.Manifest?.Title,
            CheckpointOrigin = report.Manifest?.Origin,
            CheckpointSize = report.Manifest?.LedgerSize,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>
    /// A web capture's screenshot.png from inside the receipt, as a data URL, once its digest step passed (so the
    /// picture shown is the one the ledger fixed); null when there is none, it did not verify, or it is over 16 MiB.
    /// </summary>
    private static async Task<string?> ScreenshotAsync(ReceiptPackage package, VerificationReport report, CancellationToken cancellationToken)
    {
        const string Name = "screenshot.png";
        const long MaxBytes = 16 << 20;
        var artefact = package.Evidence.Artefacts.FirstOrDefault(a => a.Name == Name);
        if (artefact is null || !report.Steps.Any(s => s.Name == "artefact " + Name && s.Passed))
        {
            return null;
        }

        var stream = await artefact.OpenAsync(cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[1 << 16];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return "data:image/png;base64," + Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    private static PageReport Refuse(DroppedFile file, bool isCase, string why) => new()
    {
        FileName = file.Name,
        IsCase = isCase,
        Refused = why,
        Verified = false,
        Reason = why,
    };

    private static PageReport Describe(
        DroppedFile receipt, VerificationReport report, ReceiptEvidence evidence, ReceiptPackage package, TrustAnchors anchors, IReadOnlyList<string> originals)
    {
        LedgerEntry? entry = null;
        try
        {
            entry = LeafCodec.Parse(evidence.Entry.Span);
        }
        catch (LeafFormatException)
        {
            // The leaf format step says why.
        }

        TlogProof? proof = null;
        Checkpoint? checkpoint = null;
        try
        {
            proof = TlogProof.Parse(evidence.Proof.Span);
            checkpoint = Checkpoint.Parse(proof.CheckpointText);
        }
        catch (FormatException)
        {
            // The proof format step says why.
        }

        string? genTime = null, tsa = null;
        if (report.Steps.FirstOrDefault(s => s.Name == "timestamp") is { Passed: true } timestamp)
        {
            genTime = GenTimePattern().Match(timestamp.Detail) is { Success: true } g ? g.Groups[1].Value : null;
            tsa = TsaPattern().Match(timestamp.Detail) is { Success: true } t ? t.Groups[1].Value : null;
        }

        var failure = report.FirstFailure;
        return new PageReport
        {
            FileName = receipt.Name,
            IsCase = false,
            Report = report,
            Verified = report.IsValid,
            Reason = failure is null ? (report.IsValid ? null : "no step passed") : $"{failure.Name}: {failure.Detail}",
            Entry = entry,
            LeafHash = Rfc6962.HashLeaf(evidence.Entry.Span).ToString(),
            CheckpointSize = checkpoint?.Size,
            CheckpointOrigin = checkpoint?.Origin,
            GenTime = genTime,
            Tsa = tsa,
            Claimed = Claims(package, anchors),
            Originals = originals,
        };
    }

    private static List<ClaimedAnchor> Claims(ReceiptPackage package, TrustAnchors anchors)
    {
        var claims = new List<ClaimedAnchor>();
        if (package.LogVerifierKey is { } logKey)
        {
            var text = logKey.Trim();
            claims.Add(new ClaimedAnchor(
                "log key",
                text,
                anchors.LogKey is null ? null : NoteVerifier.TryParse(text, out var key, out _) && key.Equals(anchors.LogKey.Key) && key.PublicKey.SequenceEqual(anchors.LogKey.Key.PublicKey)));
        }

        if (package.Sm2VerifierKey is { } sm2Key)
        {
            var text = sm2Key.Trim();
            claims.Add(new ClaimedAnchor(
                "SM2 key",
                text,
                anchors.Sm2Key is null ? null : NoteVerifier.TryParse(text, out var key, out _) && key.PublicKey.SequenceEqual(anchors.Sm2Key.Key.PublicKey)));
        }

        if (package.TsaChainPem is { } chain)
        {
            try
            {
                var pinned = anchors.TsaCas.Select(c => c.Fingerprint).ToHashSet(StringComparer.Ordinal);
                foreach (var certificate in TrustAnchors.ReadCertificates(chain, "receipt"))
                {
                    claims.Add(new ClaimedAnchor(
                        "TSA certificate",
                        $"{certificate.Subject}\nSHA-256 {certificate.Fingerprint}",
                        anchors.TsaCas.Count == 0 ? null : pinned.Contains(certificate.Fingerprint)));
                }
            }
            catch (FormatException e)
            {
                claims.Add(new ClaimedAnchor("TSA certificate", $"unreadable: {e.Message}", false));
            }
        }

        return claims;
    }

    [GeneratedRegex(@"genTime (\S+)")]
    private static partial Regex GenTimePattern();

    [GeneratedRegex("TSA \"([^\"]*)\"")]
    private static partial Regex TsaPattern();
}
