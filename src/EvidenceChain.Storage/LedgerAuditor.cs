using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Core.Notes;
using EvidenceChain.Storage.Internal;

namespace EvidenceChain.Storage;

/// <summary>
/// Re-derives a whole ledger from its stored leaves and checks every file against it: the key files (and the SM2 key
/// files of the national crypto profile, when there), every checkpoint in the history (signature, SM2 line when
/// present, no line by any other key, and root equal to the root of that many re-derived leaves, which also
/// proves each consistent with the last), the hash chain and format of every leaf, every tile and bundle
/// (full, partial and older partials), the LiteDB index, every blob's digest, the TSA's keys, certificates and serial
/// counter, every checkpoint token (re-verified over the checkpoint it stamps), and the API key store (against the
/// ledger's <c>api-key-event</c> entries). Read-only.
/// </summary>
/// <remarks>
/// Every byte of the folder is either checked here or harmless: files a published checkpoint does not reach
/// (left by a crashed batch) and temporary files are reported as notes; the LiteDB file is derived data whose
/// whole content is compared with the ledger; any other file is listed as a note saying why nothing depends on it.
/// </remarks>
public static class LedgerAuditor
{
    /// <summary>Audits the data folder (whose lock the caller holds).</summary>
    /// <param name="folder">The data folder.</param>
    /// <param name="pinnedKey">The log's verifier key as the caller knows it; null to trust <c>keys/log.vkey</c>.</param>
    /// <param name="maxProblems">Stop collecting problems after this many.</param>
    /// <param name="cancellationToken">Cancels the audit.</param>
    public static async Task<AuditReport> RunAsync(
        DataFolder folder, NoteVerifier? pinnedKey, int maxProblems = 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var report = new AuditReport { Limit = maxProblems };
        var key = CheckKeys(folder, pinnedKey, report);
        if (key is null)
        {
            return report;
        }

        var sm2 = Sm2Audit.CheckKeys(folder, key, report);
        var source = new FolderAuditSource(new FileLedgerStore(folder.LogPath));

        // The index (LiteDB) is read, and the TSA's files and the checkpoint tokens are checked once the history gives
        // the roots, on tasks of their own while the entries are checked; what they find is reported after the entries,
        // in the order the checks ran in one by one (bench/README.md).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var indexRead = Task.Run(() => IndexSnapshot.Read(folder, stop.Token), stop.Token);
        Task<(TsaAudit.Result? Tsa, int Verified, AuditReport Found)>? stamps = null;
        (Checkpoint Checkpoint, LogAudit.Roots Roots, LogAudit.DerivedData Derived)? log;
        try
        {
            log = await LogAudit.CheckLogAsync(
                source, key, sm2, report, cancellationToken,
                roots => stamps = Task.Run(() => CheckStamps(folder, key, roots, report.Fork()), stop.Token)).ConfigureAwait(false);
        }
        catch
        {
            await AbandonAsync(stop, indexRead, stamps).ConfigureAwait(false);
            throw;
        }

        if (log is not { } checkedLog)
        {
            await AbandonAsync(stop, indexRead, stamps).ConfigureAwait(false);
            return report;
        }

        var (checkpoint, roots, digests) = checkedLog;
        NoteUnvisited(folder, source, checkpoint.Size, report);
        CheckIndex(await indexRead.ConfigureAwait(false), digests.Fingerprints, checkpoint.Size, report);
        await CheckBlobsAsync(folder, digests.Sizes, report, cancellationToken).ConfigureAwait(false);
        var (tsa, verified, found) = await (stamps ?? throw new InvalidOperationException("The history was checked without its roots.")).ConfigureAwait(false);
        report.Append(found);
        report.Timestamps = verified;
        var revealed = OpeningsAudit.Check(folder, digests.Committed, report);
        var keyEvents = digests.KeyEvents.Select(e => revealed.GetValueOrDefault(e.Index, e)).ToList();
        DocumentSigningAudit.Check(folder.KeysPath, tsa?.Trusted, report);
        report.ApiKeys = ApiKeyAudit.Check(folder, keyEvents, report).Count;
        FolderAudit.NoteOthers(folder, report);
        return report;
    }

    /// <summary>
    /// Audits the log <paramref name="source"/> gives (a mirror, a published log, a database): everything
    /// <see cref="LogAudit"/> checks, the tokens and blobs where the source keeps them; what the source cannot give
    /// is in <see cref="AuditReport.NotChecked"/>.
    /// </summary>
    /// <param name="source">Where the log is read.</param>
    /// <param name="key">The log's pinned verifier key.</param>
    /// <param name="tsa">The pinned TSA CA (<c>--tsa-ca</c>), or null to check each token's imprint and signature only.</param>
    /// <param name="maxProblems">Stop collecting problems after this many.</param>
    /// <param name="cancellationToken">Cancels the audit.</param>
    /// <exception cref="AuditSourceException">The source cannot be read.</exception>
    internal static async Task<AuditReport> RunAsync(
        AuditSource source, NoteVerifier key, TsaAudit.Result? tsa, int maxProblems = 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(key);
        var report = new AuditReport { Limit = maxProblems };
        var log = await LogAudit.CheckLogAsync(source, key, sm2: null, report, cancellationToken).ConfigureAwait(false);
        if (log is not { } checkedLog)
        {
            return report;
        }

        var (_, roots, digests) = checkedLog;
        var tokens = await LogAudit.CheckTokensAsync(source, key, roots, tsa, tsa is null ? null : "the pinned TSA CA (--tsa-ca)", report, cancellationToken)
            .ConfigureAwait(false);
        report.Timestamps = tokens ?? 0;
        if (tokens is > 0 && tsa is null)
        {
            report.NotChecked.Add("the tokens' certificate chain: each token's imprint and signature verified, but no TSA CA is pinned (--tsa-ca PEM)");
        }

        await source.CheckBlobsAsync(digests.Sizes, report, cancellationToken).ConfigureAwait(false);
        return report;
    }

    // Stops the checks run beside the entries and waits for them; what they found or threw is not needed.
    private static async Task AbandonAsync(CancellationTokenSource stop, Task indexRead, Task? stamps)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(stamps is null ? [indexRead] : [indexRead, stamps]).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    // The TSA's keys and certificates, then every checkpoint token; found holds what they find.
    private static (TsaAudit.Result? Tsa, int Verified, AuditReport Found) CheckStamps(
        DataFolder folder, NoteVerifier key, LogAudit.Roots roots, AuditReport found)
    {
        TsaAudit.Result? tsa = null;
        try
        {
            tsa = TsaAudit.Check(folder.KeysPath, found);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Whatever else a damaged certificate or key makes the runtime throw, the finding is the same.
            found.Problem("keys/tsa*", $"the TSA's files are unusable: {e.Message}");
        }

        return (tsa, TimestampAudit.Check(folder, key, roots, tsa, found), found);
    }

    private static NoteVerifier? CheckKeys(DataFolder folder, NoteVerifier? pinned, AuditReport report)
    {
        var vkeyPath = Path.Combine(folder.KeysPath, LogKeyFiles.VerifierKeyFile);
        var keyPath = Path.Combine(folder.KeysPath, LogKeyFiles.PrivateKeyFile);
        NoteVerifier? stored = null;
        if (File.Exists(vkeyPath))
        {
            var text = File.ReadAllText(vkeyPath, Encoding.UTF8);
            if (!NoteVerifier.TryParse(text.TrimEnd('\n'), out stored, out var error))
            {
                report.Problem("keys/" + LogKeyFiles.VerifierKeyFile, $"not a verifier key: {error}");
            }
            else if (text != stored + "\n")
            {
                report.Problem("keys/" + LogKeyFiles.VerifierKeyFile, "is not in canonical form (the key string and one newline)");
                stored = null;
            }
        }
        else
        {
            report.Problem("keys/" + LogKeyFiles.VerifierKeyFile, "missing");
        }

        if (File.Exists(keyPath))
        {
            try
            {
                var signer = LogKeyFiles.Load(keyPath);
                if (stored is not null && signer.VerifierKey.ToString() != stored.ToString())
                {
                    report.Problem("keys/" + LogKeyFiles.PrivateKeyFile, $"does not match {LogKeyFiles.VerifierKeyFile}");
                }
            }
            catch (InvalidDataException e)
            {
                report.Problem("keys/" + LogKeyFiles.PrivateKeyFile, e.Message);
            }
        }

        if (pinned is null)
        {
            return stored;
        }

        if (stored is not null && stored.ToString() != pinned.ToString())
        {
            report.Problem("keys/" + LogKeyFiles.VerifierKeyFile, $"is {stored}, not the pinned key {pinned}");
        }

        return pinned;
    }

    private static void NoteUnvisited(DataFolder folder, FolderAuditSource source, ulong size, AuditReport report)
    {
        var visited = source.Visited.ToHashSet(StringComparer.Ordinal);
        var tiles = Path.Combine(folder.LogPath, "tile");
        if (!Directory.Exists(tiles))
        {
            return;
        }

        var extra = Directory.EnumerateFiles(tiles, "*", SearchOption.AllDirectories).Where(f => !visited.Contains(f)).ToList();
        if (extra.Count > 0)
        {
            report.Note(string.Create(
                CultureInfo.InvariantCulture,
                $"{extra.Count} file(s) under log/tile are not part of the ledger at size {size} (left by a crashed batch, or temporary), e.g. {Path.GetRelativePath(folder.Path, extra[0])}; nothing refers to them"));
        }
    }

    private static void CheckIndex(IndexSnapshot index, List<Hash> fingerprints, ulong size, AuditReport report)
    {
        if (!index.Exists)
        {
            report.Note("index.db does not exist; it is rebuilt when the ledger opens");
            return;
        }

        // The index was read beside the entries (IndexSnapshot); its findings are reported here, in the order reading
        // and comparing it in one go would have found them.
        if (index.OpenError is { } openError)
        {
            ReportUnreadable(openError, report);
            return;
        }

        try
        {
            if (CompareIndex(index, fingerprints, size, report) is { } readError)
            {
                ReportUnreadable(readError, report);
                return;
            }
        }
        catch (ArgumentOutOfRangeException e)
        {
            // A record of an entry the ledger does not have.
            ReportUnreadable(e, report);
            return;
        }

        if (index.CloseError is { } closeError)
        {
            ReportUnreadable(closeError, report);
        }
    }

    private static void ReportUnreadable(Exception e, AuditReport report) =>
        report.Problem("index.db", $"unreadable: {e.Message} (run evidencectl reindex)");

    // Returns what reading the records threw, when the comparison needed them and they could not be read.
    private static Exception? CompareIndex(IndexSnapshot index, List<Hash> fingerprints, ulong size, AuditReport report)
    {
        if (index.IndexedSize > size)
        {
            report.Problem("index.db", $"claims {index.IndexedSize} entries; the ledger has {size} (run evidencectl reindex)");
            return null;
        }

        if (index.IndexedSize < size)
        {
            report.Note($"index.db covers {index.IndexedSize} of {size} entries; it catches up when the ledger opens");
        }

        if (index.ReadError is { } readError)
        {
            return readError;
        }

        foreach (var (entryIndex, fingerprint) in index.Records)
        {
            if (fingerprint != fingerprints[(int)entryIndex])
            {
                report.Problem("index.db", $"entry {entryIndex} does not match the ledger (run evidencectl reindex)");
                return null;
            }
        }

        return null;
    }

    private static async Task CheckBlobsAsync(DataFolder folder, Dictionary<Hash, long> sizes, AuditReport report, CancellationToken cancellationToken)
    {
        var stored = new HashSet<Hash>();
        if (!Directory.Exists(folder.BlobsPath))
        {
            ReportMissing(sizes, stored, report);
            return;
        }

        using var blobs = new FileBlobStore(folder.BlobsPath, writer: false);
        foreach (var issue in blobs.Packs.Issues)
        {
            if (issue.Benign)
            {
                report.Note($"blobs/{issue.Where}: {issue.Message}");
            }
            else
            {
                report.Problem("blobs/" + issue.Where, issue.Message);
            }
        }

        foreach (var packed in blobs.Packs.List())
        {
            report.Blobs++;
            var content = packed.Read();
            var actual = new Hash(SHA256.HashData(content));
            var where = $"blobs/packs/{Path.GetFileName(blobs.Packs.PathOf(packed.Location.Pack))} at {packed.Location.Offset}";
            if (actual != packed.Sha256)
            {
                report.Problem(where, $"names {packed.Sha256} but its content hashes to {actual}");
                continue;
            }

            stored.Add(actual);
            if (sizes.TryGetValue(packed.Sha256, out var listed) && listed != content.Length)
            {
                report.Problem(where, $"is {content.Length} bytes; the ledger lists {listed}");
            }
        }

        foreach (var (path, claimed) in blobs.Enumerate())
        {
            var where = Path.GetRelativePath(folder.Path, path).Replace('\\', '/');
            if (claimed is not { } sha256)
            {
                report.Problem(where, "file name is not the SHA-256 path of its content");
                continue;
            }

            report.Blobs++;
            await using var file = File.OpenRead(path);
            var actual = new Hash(await SHA256.HashDataAsync(file, cancellationToken));
            if (actual != sha256 && !sizes.ContainsKey(sha256))
            {
                // Possible after a power loss during an upload whose entry was never appended (see FileBlobStore).
                report.Note($"{where} content hashes to {actual}, and no entry lists it: an upload interrupted by a crash; safe to delete");
            }
            else if (actual != sha256)
            {
                report.Problem(where, $"content hashes to {actual}");
            }
            else
            {
                stored.Add(sha256);
                if (sizes.TryGetValue(sha256, out var listed) && listed != file.Length)
                {
                    report.Problem(where, $"is {file.Length} bytes; the ledger lists {listed}");
                }
            }
        }

        ReportMissing(sizes, stored, report);

        var temp = Path.Combine(folder.BlobsPath, "tmp");
        if (Directory.Exists(temp) && Directory.EnumerateFiles(temp, "*", SearchOption.AllDirectories).Any())
        {
            report.Note("blobs/tmp holds unfinished uploads; they are removed when the ledger opens");
        }
    }

    // Every artefact an entry lists must be stored, whole.
    private static void ReportMissing(Dictionary<Hash, long> listed, HashSet<Hash> stored, AuditReport report)
    {
        foreach (var sha256 in listed.Keys.Where(h => !stored.Contains(h)).Order())
        {
            report.Problem("blobs", $"the artefact {sha256} that the ledger lists is not stored (or not whole)");
        }
    }
}
