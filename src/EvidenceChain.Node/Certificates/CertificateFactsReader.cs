using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core.Digests;
using EvidenceChain.Core.Proofs;
using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger;
using EvidenceChain.Node.Auth;
using EvidenceChain.Node.Services;
using EvidenceChain.Verifier.Receipts;
using Org.BouncyCastle.Tsp;

namespace EvidenceChain.Node.Certificates;

/// <summary>
/// Reads what a certificate states from the entry, its receipt and (for a caller whose key may download the entry's
/// artefacts) the artefacts. This is the one place that reads an entry's descriptive fields for the certificate:
/// committed fields (docs/formats.md §1.5) are stated in clear only when the caller may see the entry's openings, as
/// in its receipt; a public certificate states what the public receipt states, and says which fields are committed.
/// </summary>
internal sealed class CertificateFactsReader(
    IBlobStore blobs, ApiKeyService keys, EntryDisclosure disclosures, CertificateOptions options, TimeProvider time)
{
    private const long MaxWarcSummaryBytes = 1 << 20;
    private const int MaxCachedSm3 = 4096;

    // SM3 computed from stored content, by SHA-256: a public certificate of a large file must not cost a full read
    // every time it is asked for. Cleared when full; thread-safe.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Core.Hash, Core.Hash> _sm3 = new();

    public async Task<CertificateFacts> ReadAsync(StoredEntry stored, ReceiptContents receipt, Caller? caller, CancellationToken cancellationToken)
    {
        var entry = stored.Entry;
        if (await disclosures.ForAsync(caller, entry, cancellationToken) is { } disclosure)
        {
            entry = disclosure.Reveal(entry);
        }

        var withArtefacts = caller is not null;
        var checkpoint = Core.Notes.Checkpoint.Parse(new TlogProof(receipt.Index, receipt.ProofHashes, receipt.SignedCheckpoint).CheckpointText);
        var token = new TimeStampResponse(receipt.TimestampResponse.ToArray()).TimeStampToken
            ?? throw new InvalidOperationException("The receipt's timestamp response carries no token.");
        var what = new List<(string, string)>();
        byte[]? screenshot = null;
        var screenshotNote = string.Empty;
        switch (entry.Draft.Kind)
        {
            case "file":
                await DescribeFileAsync(entry, what, cancellationToken);
                break;
            case "webpage":
                (screenshot, screenshotNote) = await DescribeWebPageAsync(entry, withArtefacts, what, cancellationToken);
                break;
            default:
                DescribeOther(entry, what);
                break;
        }

        var submitter = entry.Draft.Submitter;
        var description = keys.List().FirstOrDefault(k => k.Id == submitter)?.Description;
        return new CertificateFacts
        {
            Number = CertificateNumber.Of(entry.Origin, stored.Index),
            Origin = entry.Origin,
            Index = stored.Index,
            Kind = entry.Draft.Kind,
            LeafHash = stored.LeafHash.ToString(),
            NodeTime = Rfc3339(entry.Time),
            IssuedAt = Rfc3339(time.GetUtcNow()),
            CheckpointSize = checked((long)checkpoint.Size),
            CheckpointRoot = checkpoint.Root.ToString(),
            LogKey = receipt.LogVerifierKey,
            LogKeyFingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(receipt.LogVerifierKey))),
            TsaName = TsaName(token),
            TsaGenTime = Rfc3339(new DateTimeOffset(token.TimeStampInfo.GenTime.ToUniversalTime(), TimeSpan.Zero)),
            TsaSerial = token.TimeStampInfo.SerialNumber.ToString(16),
            Submitter = submitter.Length == 0 ? "—" : description is { Length: > 0 } ? $"{description} (API key {submitter})" : $"API key {submitter}",
            Operator = options.Operator.Length > 0 ? options.Operator : "未配置 not configured (Certificate:Operator)",
            VerifyUrl = options.VerifyUrlOf(entry.Origin, stored.Index),
            ReceiptName = receipt.FileName,
            WithArtefacts = withArtefacts,
            What = what,
            Screenshot = screenshot,
            ScreenshotNote = screenshotNote,
        };
    }

    /// <summary>
    /// A descriptive attribute of the entry in clear, or null when absent. A committed field the caller may not see
    /// reads as <see cref="Committed"/>.
    /// </summary>
    private static string? Attribute(LedgerEntry entry, string name) =>
        entry.Draft.Attributes.TryGetValue(name, out var value) && value.Length > 0 ? value
        : entry.Draft.Commitments.ContainsKey(name) ? Committed
        : null;

    /// <summary>What a certificate states for a committed field whose clear value it may not show.</summary>
    internal const string Committed = "已承诺，未公开 committed, not disclosed";

    /// <summary>An artefact's name in clear.</summary>
    private static string ArtefactName(Artefact artefact) => artefact.Name;

    private async Task DescribeFileAsync(LedgerEntry entry, List<(string, string)> what, CancellationToken cancellationToken)
    {
        var file = entry.Draft.Artefacts[0];
        what.Add(("文件名 File name", Attribute(entry, "file-name") ?? ArtefactName(file)));
        if (Attribute(entry, "title") is { } title)
        {
            what.Add(("标题 Title", title));
        }

        if (Attribute(entry, "description") is { } description)
        {
            what.Add(("说明 Description", description));
        }

        what.Add(("大小 Size", Size(file.Size)));
        what.Add(("媒体类型 Media type", file.MediaType));
        what.Add(("SHA-256", file.Sha256.ToString()));
        what.Add(("SM3", await Sm3Async(file, cancellationToken)));
    }

    // The leaf lists SM3 under the national crypto profile; otherwise it is computed from the stored content, which
    // must hash to the leaf's SHA-256 for the figure to be stated at all.
    private async Task<string> Sm3Async(Artefact file, CancellationToken cancellationToken)
    {
        if (file.Sm3 is { } listed)
        {
            return listed.ToString();
        }

        if (_sm3.TryGetValue(file.Sha256, out var known))
        {
            return $"{known} (计算自存储内容 computed from the stored content; not in the entry)";
        }

        var content = blobs.OpenRead(file.Sha256);
        if (content is null)
        {
            return "— (not in the entry, and the content is not stored on this node)";
        }

        await using (content)
        {
            using var hasher = new ArtefactHasher(withSm3: true);
            var buffer = new byte[256 * 1024];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
            }

            var digests = hasher.Finish();
            if (digests.Sha256 != file.Sha256 || digests.Size != file.Size || digests.Sm3 is not { } sm3)
            {
                return "— (the stored content does not match the entry's SHA-256: run evidencectl audit)";
            }

            if (_sm3.Count >= MaxCachedSm3)
            {
                _sm3.Clear();
            }

            _sm3[file.Sha256] = sm3;
            return $"{sm3} (计算自存储内容 computed from the stored content; not in the entry)";
        }
    }

    private async Task<(byte[]? Screenshot, string Note)> DescribeWebPageAsync(
        LedgerEntry entry, bool withArtefacts, List<(string, string)> what, CancellationToken cancellationToken)
    {
        what.Add(("网址 URL", Attribute(entry, "url") ?? "—"));
        what.Add(("最终网址 Final URL", Attribute(entry, "final-url") ?? "—"));
        what.Add(("HTTP 状态 HTTP status", Attribute(entry, "http-status") ?? "—"));
        what.Add(("服务器 IP Server IP", Attribute(entry, "remote-ip") ?? "—"));
        var status = Attribute(entry, "capture-status") ?? "—";
        if (Attribute(entry, "failure") is { } failure)
        {
            status += $": {Attribute(entry, "failure-reason")} — {failure}";
        }

        what.Add(("抓取结果 Capture", status));
        what.Add(("呈现 Rendering", Attribute(entry, "rendering") ?? "—"));
        what.Add(("抓取时间 Capture time", Rfc3339(entry.Time) + " (节点时间 node time)"));
        var warc = entry.Draft.Artefacts.FirstOrDefault(a => ArtefactName(a) == "capture.warc");
        if (withArtefacts && warc is not null && blobs.OpenRead(warc.Sha256) is { } content)
        {
            WarcSummary summary;
            await using (content)
            {
                summary = await WarcSummary.ReadAsync(content, MaxWarcSummaryBytes, cancellationToken);
            }

            what.Add(("TLS 证书 TLS certificate", summary.Tls ?? "— (no https hop)"));
            what.Add(("抓取环境 Environment", summary.Environment ?? "—"));
        }
        else
        {
            what.Add(("TLS 证书与抓取环境 TLS and environment", "recorded in capture.warc; stated here only to a key that may download the entry's artefacts"));
        }

        what.Add(("环境记录 Environment record", "SHA-256 " + (Attribute(entry, "environment-sha256") ?? "—")));
        foreach (var artefact in entry.Draft.Artefacts)
        {
            what.Add(($"{ArtefactName(artefact)}", $"{artefact.MediaType}, {Size(artefact.Size)}\nSHA-256 {artefact.Sha256}{(artefact.Sm3 is { } sm3 ? $"\nSM3 {sm3}" : string.Empty)}"));
        }

        var shot = entry.Draft.Artefacts.FirstOrDefault(a => ArtefactName(a) == "screenshot.png");
        if (shot is null)
        {
            return (null, "本次抓取无截图 This capture has no screenshot (" + (Attribute(entry, "rendering") ?? "not rendered") + ").");
        }

        if (!withArtefacts)
        {
            return (null, "截图需凭可下载该证据的密钥获取 The screenshot is included only for a key that may download this entry's artefacts.");
        }

        var png = blobs.OpenRead(shot.Sha256);
        if (png is null)
        {
            return (null, "截图内容未存储于本节点 The screenshot's content is not stored on this node.");
        }

        await using (png)
        {
            return (await ScreenshotImage.FirstScreenAsBmpAsync(png, cancellationToken), "截图（首屏，已缩放） Screenshot (first screen, scaled); the full image is the artefact screenshot.png.");
        }
    }

    private static void DescribeOther(LedgerEntry entry, List<(string, string)> what)
    {
        what.Add(("类型 Kind", entry.Draft.Kind));
        foreach (var (name, _) in entry.Draft.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            what.Add((name, Attribute(entry, name) ?? "—"));
        }

        foreach (var artefact in entry.Draft.Artefacts)
        {
            what.Add((ArtefactName(artefact), $"{artefact.MediaType}, {Size(artefact.Size)}\nSHA-256 {artefact.Sha256}"));
        }
    }

    private static string TsaName(TimeStampToken token)
    {
        if (token.TimeStampInfo.Tsa is { } name)
        {
            return name.Name.ToString() ?? string.Empty;
        }

        var signer = token.GetCertificates().EnumerateMatches(token.SignerID).FirstOrDefault();
        return signer?.SubjectDN.ToString() ?? "—";
    }

    private static string Size(long bytes) => bytes < 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} 字节 bytes")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} 字节 bytes ({bytes / 1024.0 / 1024.0:0.00} MiB)");

    private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
