using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Storage.Internal;
using EvidenceChain.Core.Tiles;

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
        var store = new FileLedgerStore(folder.LogPath);

        var checkpointPath = Path.Combine(folder.LogPath, "checkpoint");
        if (!File.Exists(checkpointPath))
        {
            report.Problem("log/checkpoint", "missing: there is no published checkpoint");
            return report;
        }

        var note = await File.ReadAllTextAsync(checkpointPath, Encoding.UTF8, cancellationToken);
        var opened = CheckpointNote.Open(note, key);
        if (!opened.IsValid || opened.Checkpoint is null)
        {
            report.Problem("log/checkpoint", opened.Message);
            return report;
        }

        Sm2Audit.CheckLines(note, opened, key, sm2, "log/checkpoint", report);
        var checkpoint = opened.Checkpoint;
        report.Origin = checkpoint.Origin;
        var roots = CheckHistory(store, key, sm2, note, checkpoint, report);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var digests = await CheckEntriesAsync(folder, store, checkpoint, roots, visited, report, cancellationToken);
        if (digests is null)
        {
            return report;
        }

        NoteUnvisited(folder, store, visited, checkpoint.Size, report);
        CheckIndex(folder, digests.Fingerprints, checkpoint.Size, report);
        await CheckBlobsAsync(folder, digests.Sizes, report, cancellationToken);
        TsaAudit.Result? tsa = null;
        try
        {
            tsa = TsaAudit.Check(folder.KeysPath, report);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Whatever else a damaged certificate or key makes the runtime throw, the finding is the same.
            report.Problem("keys/tsa*", $"the TSA's files are unusable: {e.Message}");
        }

        report.Timestamps = TimestampAudit.Check(folder, key, roots, tsa, report);
        var revealed = OpeningsAudit.Check(folder, digests.Committed, report);
        var keyEvents = digests.KeyEvents.Select(e => revealed.GetValueOrDefault(e.Index, e)).ToList();
        DocumentSigningAudit.Check(folder.KeysPath, tsa?.Trusted, report);
        report.ApiKeys = ApiKeyAudit.Check(folder, keyEvents, report).Count;
        FolderAudit.NoteOthers(folder, report);
        return report;
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

    private static SortedDictionary<ulong, List<(string Where, Hash Root)>> CheckHistory(
        FileLedgerStore store, NoteVerifier key, NoteVerifier? sm2, string published, Checkpoint checkpoint, AuditReport report)
    {
        var roots = new SortedDictionary<ulong, List<(string, Hash)>>();
        var records = store.ReadRecords(out var torn);
        if (torn is { } at)
        {
            report.Problem("log/checkpoints", $"record at byte {at} is truncated or has an impossible length");
        }

        var publishedAt = records.FindLastIndex(r => r.Note == published);
        if (publishedAt < 0)
        {
            report.Problem("log/checkpoints", "does not contain the published log/checkpoint");
            publishedAt = records.Count - 1;
        }
        else if (publishedAt < records.Count - 1)
        {
            report.Note($"log/checkpoints holds {records.Count - 1 - publishedAt} record(s) after the published checkpoint, from a batch that crashed before publishing; the next open removes them");
        }

        ulong lastSize = 0;
        for (var i = 0; i <= publishedAt; i++)
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"log/checkpoints record {i} (byte {records[i].Offset})");
            var opened = CheckpointNote.Open(records[i].Note, key);
            if (!opened.IsValid || opened.Checkpoint is null)
            {
                report.Problem(where, opened.Message);
                continue;
            }

            Sm2Audit.CheckLines(records[i].Note, opened, key, sm2, where, report);
            var c = opened.Checkpoint;
            if (c.Origin != checkpoint.Origin)
            {
                report.Problem(where, $"is for log \"{c.Origin}\", not \"{checkpoint.Origin}\"");
            }

            if (c.Size < lastSize || c.Size > checkpoint.Size)
            {
                report.Problem(where, $"size {c.Size} is out of order (previous {lastSize}, latest {checkpoint.Size})");
                continue;
            }

            lastSize = c.Size;
            if (!roots.TryGetValue(c.Size, out var list))
            {
                roots[c.Size] = list = [];
            }

            list.Add((where, c.Root));
            report.Checkpoints++;
        }

        if (!roots.ContainsKey(checkpoint.Size))
        {
            roots[checkpoint.Size] = [("log/checkpoint", checkpoint.Root)];
        }

        return roots;
    }

    private sealed record DerivedData(List<Hash> Fingerprints, Dictionary<Hash, long> Sizes, List<LedgerEntry> KeyEvents)
    {
        public List<LedgerEntry> Committed { get; } = [];
    }

    private static async Task<DerivedData?> CheckEntriesAsync(
        DataFolder folder,
        FileLedgerStore store,
        Checkpoint checkpoint,
        SortedDictionary<ulong, List<(string Where, Hash Root)>> roots,
        HashSet<string> visited,
        AuditReport report,
        CancellationToken cancellationToken)
    {
        var size = checkpoint.Size;
        var logPrefix = Path.GetRelativePath(folder.Path, folder.LogPath).Replace('\\', '/') + "/";
        var sink = new TileAuditSink(store, report, logPrefix, visited);
        var appender = new MerkleAppender();
        var derived = new DerivedData([], [], []);
        var pendingRoots = new Queue<KeyValuePair<ulong, List<(string Where, Hash Root)>>>(roots);
        CheckRootsUpTo(appender, pendingRoots, report);

        // Bundles are read, split, hashed and parsed a group at a time on all cores, ahead of this loop; what needs
        // the order (the hash chain, the tree, the tiles, the problems as reported) follows here on one thread.
        Hash prev = default;
        await using var bundles = new BundleReadAhead(store, size, checkpoint.Origin, cancellationToken);
        while (await bundles.NextAsync() is { } bundle)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = bundle.Id;
            visited.Add(bundle.Path);
            report.Tiles++;
            if (bundle.Bytes is null)
            {
                report.Problem(logPrefix + id.ToPath(), "missing");
                return null;
            }

            if (bundle.Error is { } error)
            {
                report.Problem(logPrefix + id.ToPath(), error);
                return null;
            }

            var leafHashes = bundle.LeafHashes;
            for (var j = 0; j < leafHashes.Length; j++)
            {
                var index = (id.Index * TileId.FullWidth) + (ulong)j;
                var offset = bundle.Spans[j].Offset;
                CheckLeaf(
                    bundle.Leaves[j], index, prev, checkpoint.Origin,
                    () => string.Create(CultureInfo.InvariantCulture, $"{logPrefix}{id.ToPath()} entry {index} (byte {offset})"),
                    derived, report);
                prev = leafHashes[j];
            }

            CheckOlderBundles(store, id, bundle.Bytes, bundle.Spans, logPrefix, visited, report);

            // Append in pieces that end at each checkpoint size, so every historic root is compared.
            var done = 0;
            while (done < leafHashes.Length)
            {
                var end = leafHashes.Length;
                if (pendingRoots.TryPeek(out var next) && next.Key < appender.Size + (ulong)(end - done))
                {
                    end = done + (int)(next.Key - appender.Size);
                }

                appender.Append(leafHashes.AsSpan(done, end - done), sink);
                done = end;
                CheckRootsUpTo(appender, pendingRoots, report);
            }

            report.Entries = appender.Size;
        }

        sink.Finish();
        if (appender.Root() == checkpoint.Root)
        {
            report.Root = checkpoint.Root;
        }

        return derived;
    }

    private static void CheckRootsUpTo(
        MerkleAppender appender, Queue<KeyValuePair<ulong, List<(string Where, Hash Root)>>> pending, AuditReport report)
    {
        while (pending.TryPeek(out var next) && next.Key == appender.Size)
        {
            pending.Dequeue();
            var root = appender.Root();
            foreach (var (where, claimed) in next.Value)
            {
                if (claimed != root)
                {
                    report.Problem(where, $"root {claimed} at size {next.Key} does not match the entries' root {root}");
                }
            }
        }
    }

    private static void CheckLeaf(
        ParsedLeaf leaf, ulong index, Hash prev, string origin, Func<string> where, DerivedData derived, AuditReport report)
    {
        if (leaf.Error is { } error)
        {
            report.Problem(where(), error);
            derived.Fingerprints.Add(default);
            return;
        }

        if (leaf.Index != index)
        {
            report.Problem(where(), $"says it is entry {leaf.Index}");
        }

        if (leaf.OtherOrigin is { } other)
        {
            report.Problem(where(), $"is for log \"{other}\", not \"{origin}\"");
        }

        if (leaf.Prev != prev)
        {
            report.Problem(where(), $"prev is {leaf.Prev}, but entry {(index == 0 ? "-" : (index - 1).ToString(CultureInfo.InvariantCulture))} hashes to {prev}: the hash chain is broken");
        }

        foreach (var (sha256, size) in leaf.Sizes)
        {
            derived.Sizes[sha256] = size;
        }

        if (leaf.Kept is { } entry)
        {
            if (entry.Draft.Commitments.Count > 0)
            {
                derived.Committed.Add(entry);
            }

            if (entry.Draft.Kind == Core.Keys.ApiKeyEvent.Kind)
            {
                derived.KeyEvents.Add(entry);
            }
        }

        derived.Fingerprints.Add(leaf.Fingerprint);
    }

    private static void CheckOlderBundles(
        FileLedgerStore store, TileId id, byte[] bundle, List<(int Offset, int Length)> spans, string logPrefix, HashSet<string> visited, AuditReport report)
    {
        var partialDir = store.PathOf(TileId.Entries(id.Index, TileId.FullWidth)) + ".p";
        if (!Directory.Exists(partialDir))
        {
            return;
        }

        for (var width = 1; width < spans.Count; width++)
        {
            var older = TileId.Entries(id.Index, width);
            var path = store.PathOf(older);
            if (!File.Exists(path))
            {
                continue;
            }

            visited.Add(path);
            report.Tiles++;
            var end = spans[width - 1].Offset + spans[width - 1].Length;
            if (!bundle.AsSpan(0, end).SequenceEqual(File.ReadAllBytes(path)))
            {
                report.Problem(logPrefix + older.ToPath(), $"is not the first {width} entries of {id.ToPath()}");
            }
        }
    }

    private static void NoteUnvisited(DataFolder folder, FileLedgerStore store, HashSet<string> visited, ulong size, AuditReport report)
    {
        var tiles = Path.Combine(store.Root, "tile");
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

    private static void CheckIndex(DataFolder folder, List<Hash> fingerprints, ulong size, AuditReport report)
    {
        if (!File.Exists(folder.IndexPath))
        {
            report.Note("index.db does not exist; it is rebuilt when the ledger opens");
            return;
        }

        LiteDbEntryIndex? index = null;
        try
        {
            index = new LiteDbEntryIndex(folder.IndexPath, readOnly: true);
            CompareIndex(index, fingerprints, size, report);
            index.Dispose();
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Whatever a damaged LiteDB file makes LiteDB throw, the finding is the same: the derived index is unusable.
            index?.Abandon();
            report.Problem("index.db", $"unreadable: {e.Message} (run evidencectl reindex)");
        }
    }

    private static void CompareIndex(LiteDbEntryIndex index, List<Hash> fingerprints, ulong size, AuditReport report)
    {
        if (index.IndexedSize > size)
        {
            report.Problem("index.db", $"claims {index.IndexedSize} entries; the ledger has {size} (run evidencectl reindex)");
            return;
        }

        if (index.IndexedSize < size)
        {
            report.Note($"index.db covers {index.IndexedSize} of {size} entries; it catches up when the ledger opens");
        }

        foreach (var entry in index.All())
        {
            if (IndexFingerprint.Of(entry) != fingerprints[(int)entry.Index])
            {
                report.Problem("index.db", $"entry {entry.Index} does not match the ledger (run evidencectl reindex)");
                return;
            }
        }
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
