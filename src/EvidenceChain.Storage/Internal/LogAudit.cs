using System.Globalization;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// The part of the audit that needs only the published log, read through an <see cref="AuditSource"/>: the latest
/// checkpoint (signature under the pinned key), the checkpoint history where the source keeps one (every signature,
/// and every root against the re-derived tree), every entry bundle (format, index, origin, hash chain), every hash
/// tile re-derived from the leaves (full, partial and older partials), the final root, and the checkpoint tokens.
/// </summary>
internal static class LogAudit
{
    /// <summary>What the rest of the audit needs from the entries.</summary>
    internal sealed record DerivedData(List<Hash> Fingerprints, Dictionary<Hash, long> Sizes, List<LedgerEntry> KeyEvents)
    {
        public List<LedgerEntry> Committed { get; } = [];
    }

    /// <summary>The verified checkpoints' roots by size, each with where it was read.</summary>
    internal sealed class Roots : SortedDictionary<ulong, List<(string Where, Hash Root)>>;

    /// <summary>
    /// The checkpoint, history and entries; null (with the problem reported) when the log cannot be followed to its end.
    /// <paramref name="historyChecked"/>, when given, is called with the verified roots before the entries are checked
    /// (it must not change them).
    /// </summary>
    public static async Task<(Checkpoint Checkpoint, Roots Roots, DerivedData Derived)?> CheckLogAsync(
        AuditSource source, NoteVerifier key, NoteVerifier? sm2, AuditReport report, CancellationToken cancellationToken,
        Action<Roots>? historyChecked = null)
    {
        var note = await source.ReadCheckpointAsync(cancellationToken).ConfigureAwait(false);
        if (note is null)
        {
            report.Problem(source.CheckpointWhere, "missing: there is no published checkpoint");
            return null;
        }

        var opened = CheckpointNote.Open(note, key);
        if (!opened.IsValid || opened.Checkpoint is null)
        {
            report.Problem(source.CheckpointWhere, opened.Message);
            return null;
        }

        Sm2Audit.CheckLines(note, opened, key, sm2, source.CheckpointWhere, report);
        var checkpoint = opened.Checkpoint;
        report.Origin = checkpoint.Origin;
        var history = await source.ReadHistoryAsync(cancellationToken).ConfigureAwait(false);
        var roots = CheckHistory(source, history, key, sm2, note, checkpoint, report);
        historyChecked?.Invoke(roots);
        var derived = await CheckEntriesAsync(source, checkpoint, roots, report, cancellationToken).ConfigureAwait(false);
        return derived is null ? null : (checkpoint, roots, derived);
    }

    private static Roots CheckHistory(
        AuditSource source, AuditHistory? history, NoteVerifier key, NoteVerifier? sm2, string published, Checkpoint checkpoint, AuditReport report)
    {
        var roots = new Roots();
        if (history is null)
        {
            roots[checkpoint.Size] = [(source.CheckpointWhere, checkpoint.Root)];
            report.Checkpoints++;
            return roots;
        }

        if (history.Damage is { } damage)
        {
            report.Problem(history.Where, damage);
        }

        var records = history.Records;
        var publishedAt = -1;
        for (var i = records.Count - 1; i >= 0; i--)
        {
            if (records[i].Note == published)
            {
                publishedAt = i;
                break;
            }
        }

        if (publishedAt < 0)
        {
            report.Problem(history.Where, $"does not contain the published {source.CheckpointWhere}");
            publishedAt = records.Count - 1;
        }
        else if (publishedAt < records.Count - 1)
        {
            report.Note($"{history.Where} holds {records.Count - 1 - publishedAt} record(s) after the published checkpoint, from a batch that crashed before publishing; the next open removes them");
        }

        ulong lastSize = 0;
        for (var i = 0; i <= publishedAt; i++)
        {
            var where = records[i].Where;
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
            roots[checkpoint.Size] = [(source.CheckpointWhere, checkpoint.Root)];
        }

        return roots;
    }

    private static async Task<DerivedData?> CheckEntriesAsync(
        AuditSource source, Checkpoint checkpoint, Roots roots, AuditReport report, CancellationToken cancellationToken)
    {
        var size = checkpoint.Size;
        var prefix = source.TilePrefix;
        var sink = new TileAuditSink(source, report);
        var appender = new MerkleAppender();
        var derived = new DerivedData([], [], []);
        var pendingRoots = new Queue<KeyValuePair<ulong, List<(string Where, Hash Root)>>>(roots);
        CheckRootsUpTo(appender, pendingRoots, report);

        // Bundles (and their level-0 tiles) are read, split, hashed and parsed a group at a time on all cores, ahead
        // of this loop; what needs the order (the hash chain, the tree, the tiles, the problems as reported) follows
        // here on one thread.
        Hash prev = default;
        var bundles = new BundleReadAhead(source, size, checkpoint.Origin, cancellationToken);
        await using (bundles.ConfigureAwait(false))
        {
            while (await bundles.NextAsync().ConfigureAwait(false) is { } bundle)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var id = bundle.Id;
                report.Tiles++;
                if (bundle.Bytes is null)
                {
                    report.Problem(prefix + id.ToPath(), "missing");
                    return null;
                }

                if (bundle.Error is { } error)
                {
                    report.Problem(prefix + id.ToPath(), error);
                    return null;
                }

                var leafHashes = bundle.LeafHashes;
                for (var j = 0; j < leafHashes.Length; j++)
                {
                    var index = (id.Index * TileId.FullWidth) + (ulong)j;
                    var offset = bundle.Spans[j].Offset;
                    CheckLeaf(
                        bundle.Leaves[j], index, prev, checkpoint.Origin,
                        () => string.Create(CultureInfo.InvariantCulture, $"{prefix}{id.ToPath()} entry {index} (byte {offset})"),
                        derived, report);
                    prev = leafHashes[j];
                }

                await CheckOlderBundlesAsync(source, id, bundle.Bytes, bundle.Spans, report, cancellationToken).ConfigureAwait(false);
                sink.Preload(TileId.Hashes(0, id.Index, id.Width), bundle.Level0);

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
                    await sink.CompareAsync(cancellationToken).ConfigureAwait(false);
                    done = end;
                    CheckRootsUpTo(appender, pendingRoots, report);
                }

                report.Entries = appender.Size;
            }
        }

        await sink.FinishAsync(cancellationToken).ConfigureAwait(false);
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

    private static async Task CheckOlderBundlesAsync(
        AuditSource source, TileId id, byte[] bundle, List<(int Offset, int Length)> spans, AuditReport report, CancellationToken cancellationToken)
    {
        var widths = await source.PartialWidthsAsync(TileId.Entries(id.Index, TileId.FullWidth), cancellationToken).ConfigureAwait(false);
        foreach (var width in widths)
        {
            if (width < 1 || width >= spans.Count)
            {
                continue;
            }

            var older = TileId.Entries(id.Index, width);
            if (await source.ReadTileAsync(older, cancellationToken).ConfigureAwait(false) is not { } bytes)
            {
                continue;
            }

            report.Tiles++;
            var end = spans[width - 1].Offset + spans[width - 1].Length;
            if (!bundle.AsSpan(0, end).SequenceEqual(bytes))
            {
                report.Problem(source.TilePrefix + older.ToPath(), $"is not the first {width} entries of {id.ToPath()}");
            }
        }
    }

    /// <summary>Checks the source's checkpoint tokens, when it keeps any; returns how many verified, or null when it keeps none.</summary>
    public static async Task<int?> CheckTokensAsync(
        AuditSource source, NoteVerifier key, Roots roots, TsaAudit.Result? tsa, string? trustName, AuditReport report, CancellationToken cancellationToken)
    {
        var tokens = await source.ReadTimestampsAsync(cancellationToken).ConfigureAwait(false);
        if (tokens is null)
        {
            return null;
        }

        var verified = 0;
        ulong? last = null;
        foreach (var token in tokens)
        {
            if (last is { } previous && token.Size <= previous)
            {
                report.Problem(token.Where, string.Create(CultureInfo.InvariantCulture, $"tree size {token.Size} does not follow {previous}"));
            }

            last = token.Size;
            if (TimestampAudit.CheckToken(token.Note, token.Response, token.Size, key, roots, tsa, trustName, token.Where, report))
            {
                verified++;
            }
        }

        return verified;
    }
}
