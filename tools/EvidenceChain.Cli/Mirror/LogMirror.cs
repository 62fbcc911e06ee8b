using System.Collections.Concurrent;
using System.Globalization;
using EvidenceChain.Cli.Tiles;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Cli.Mirror;

/// <summary>
/// One run of <c>evidencectl mirror</c>: brings a <see cref="MirrorFolder"/> from the checkpoint it holds (size M, or
/// none) to the log's latest (size N), verifying everything against checkpoints signed under the pinned key
/// (docs/formats.md, "Mirror folder"):
/// <list type="number">
/// <item>the log's partial tiles at N (one per level) must give the checkpoint's root;</item>
/// <item>the root of the first M leaves, from the log's tiles at N, must be the folder's root (consistency: tiles
/// are enough, no proof is fetched);</item>
/// <item>every other new tile must match its parent's entry (its perfect root), top level down, and every new
/// entry bundle's leaf hashes its level-0 tile.</item>
/// </list>
/// Nothing is written before step 2 passes; tiles and bundles go in place as each verifies, the checkpoint last.
/// Partial tiles whose tile became full are deleted once the new checkpoint is in place.
/// Full tiles the folder had at M are not fetched again: step 2 binds every parent entry over them. Files beyond M
/// already in the folder (an interrupted run) are checked and kept, or fetched again when they do not verify.
/// </summary>
/// <remarks>One run per instance; thread-safe inside.</remarks>
internal sealed class LogMirror(TileSource upstream, MirrorFolder folder, NoteVerifier key, int concurrency)
{
    private readonly ConcurrentDictionary<TileId, Lazy<Task<Hash[]>>> _verified = new();
    private readonly ConcurrentQueue<(string Path, byte[] Bytes)> _pending = new();
    private volatile bool _writeThrough;
    private long _fetched;
    private long _reused;
    private long _entriesDone;
    private ulong _size;
    private Hash _root;

    /// <summary>New entries verified so far, for progress reports.</summary>
    public long EntriesDone => Interlocked.Read(ref _entriesDone);

    /// <summary>Entries the run has to verify (0 until the log's checkpoint is known).</summary>
    public long EntriesToDo { get; private set; }

    public async Task<MirrorOutcome> RunAsync(CancellationToken cancellationToken)
    {
        folder.Prepare();
        var heldNote = folder.ReadCheckpoint();
        Checkpoint? held = null;
        if (heldNote is not null)
        {
            var opened = CheckpointNote.Open(heldNote, key);
            held = opened.IsValid
                ? opened.Checkpoint
                : throw new MirrorFailedException($"{Path.Combine(folder.Path, MirrorFolder.CheckpointFile)} does not verify under the pinned key {key.Name}+{key.KeyId:x8}: {opened.Message}; is this folder the mirror of another log?");
        }

        var servedNote = await upstream.GetAsync(MirrorFolder.CheckpointFile, cancellationToken)
            ?? throw new MirrorFailedException($"{upstream.Name} has no checkpoint (HTTP 404 or no such file); is it a tlog-tiles log?");
        var served = CheckpointNote.Open(servedNote, key);
        if (!served.IsValid)
        {
            throw new MirrorFailedException($"the checkpoint of {upstream.Name} does not verify under the pinned key {key.Name}+{key.KeyId:x8}: {served.Message}");
        }

        var next = served.Checkpoint!;
        var previousSize = held?.Size ?? 0;
        var outcome = new MirrorOutcome(MirrorStatus.Mirrored, next, previousSize, held?.Root);
        try
        {
            if (held is not null && next.Size <= held.Size)
            {
                return await CompareOlderAsync(held, heldNote!, next, servedNote, outcome, cancellationToken);
            }

            await SyncAsync(held, heldNote, next, servedNote, cancellationToken);
            return outcome with { Fetched = _fetched, Reused = _reused };
        }
        catch (TileMismatchException e)
        {
            var evidence = await folder.SaveConflictAsync(next, servedNote, heldNote, e.Message, [(e.Tile.ToPath(), e.Bytes)], CancellationToken.None);
            return outcome with { Status = MirrorStatus.Refused, Reason = e.Message, Evidence = evidence };
        }
        catch (ConflictException e)
        {
            return outcome with { Status = MirrorStatus.Refused, Reason = e.Message, Evidence = e.Evidence };
        }
    }

    /// <summary>The log serves a checkpoint no larger than the folder's: the same, older and consistent, or a conflict.</summary>
    private async Task<MirrorOutcome> CompareOlderAsync(Checkpoint held, byte[] heldNote, Checkpoint next, byte[] servedNote, MirrorOutcome outcome, CancellationToken cancellationToken)
    {
        // The folder's tiles were verified when it reached its checkpoint; read as they are.
        var tree = new TiledTree(held.Size, (tile, _) => ValueTask.FromResult(
            (folder.Read(tile) is { } bytes ? TiledTree.ParseTile(tile, bytes) : null)
            ?? throw new MirrorFailedException($"the mirror folder lacks {tile} (or it is damaged), which its checkpoint of size {held.Size} needs; mirror into a new folder")));
        var root = next.Size == 0 ? Rfc6962.EmptyRoot : await tree.RootAsync(next.Size, cancellationToken);
        if (root == next.Root)
        {
            if (next.Size == held.Size && !servedNote.AsSpan().SequenceEqual(heldNote))
            {
                // The same tree, its note served with other signature lines (cosignatures): keep the log's.
                await folder.CommitCheckpointAsync(servedNote, cancellationToken);
            }

            return outcome with { Status = next.Size == held.Size ? MirrorStatus.UpToDate : MirrorStatus.Behind };
        }

        var reason = string.Create(CultureInfo.InvariantCulture,
            $"the log rewrote history: its checkpoint of size {next.Size} has root {next.Root}, but the mirror's tree has root {root} at size {next.Size} (the mirror holds size {held.Size}, root {held.Root})");
        var evidence = await folder.SaveConflictAsync(next, servedNote, heldNote, reason, [], cancellationToken);
        return outcome with { Status = MirrorStatus.Refused, Reason = reason, Evidence = evidence };
    }

    private async Task SyncAsync(Checkpoint? held, byte[]? heldNote, Checkpoint next, byte[] servedNote, CancellationToken cancellationToken)
    {
        var m = held?.Size ?? 0;
        var n = next.Size;
        _size = n;
        _root = next.Root;
        EntriesToDo = (long)(n - (TileMath.FullTiles(0, m) * TileId.FullWidth));
        if (n == 0)
        {
            await folder.CommitCheckpointAsync(servedNote, cancellationToken);
            return;
        }

        // 1. The partial tiles give the root.
        await VerifyPartialsAsync(next, cancellationToken);
        var tree = new TiledTree(n, (tile, ct) => new ValueTask<Hash[]>(VerifiedTileAsync(tile, ct)));

        // 2. The tree of size M is a prefix: its root, from these tiles, is the folder's.
        if (held is not null && m > 0)
        {
            var root = await tree.RootAsync(m, cancellationToken);
            if (root != held.Root)
            {
                var reason = string.Create(CultureInfo.InvariantCulture,
                    $"the log rewrote history: its checkpoint of size {n} (root {next.Root}) does not extend the mirror's of size {m} (root {held.Root}); its tree has root {root} at size {m}");
                var evidence = await folder.SaveConflictAsync(next, servedNote, heldNote, reason, [], cancellationToken);
                throw new ConflictException(reason, evidence);
            }
        }

        _writeThrough = true;
        while (_pending.TryDequeue(out var file))
        {
            await folder.WriteAsync(file.Path, file.Bytes, cancellationToken);
        }

        // 3. Every new tile against its parent, top down; then the entry bundles against the level-0 tiles.
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
        for (var level = TileMath.TileLevels(n) - 1; level >= 1; level--)
        {
            var from = TileMath.FullTiles(level, m);
            var to = TileMath.FullTiles(level, n);
            var tileLevel = level;
            await Parallel.ForEachAsync(Range(from, to), options, async (index, ct) =>
                await VerifiedTileAsync(TileId.Hashes(tileLevel, index, TileId.FullWidth), ct));
        }

        var bundles = TileMath.FullTiles(0, n) + (TileMath.PartialWidth(0, n) > 0 ? 1UL : 0);
        await Parallel.ForEachAsync(Range(TileMath.FullTiles(0, m), bundles), options, async (index, ct) =>
        {
            var tile = TileMath.TileAt(0, index, n, entries: false)!.Value;
            var hashes = await LevelZeroTileAsync(tile, ct);
            await BundleAsync(TileId.Entries(index, tile.Width), hashes, ct);
            Interlocked.Add(ref _entriesDone, tile.Width);
        });

        await folder.CommitCheckpointAsync(servedNote, cancellationToken);
        DeleteSupersededPartials(m, n);
    }

    /// <summary>
    /// Deletes the partial tiles and bundles of every tile that the new checkpoint made full, as the node does
    /// (docs/formats.md §4.3): while a tile is partial its older partials stay, for clients that hold an older
    /// checkpoint; once it is full they read its prefix instead, as tlog-tiles clients do on a 404.
    /// </summary>
    private void DeleteSupersededPartials(ulong m, ulong n)
    {
        for (var level = 0; level < TileMath.TileLevels(n); level++)
        {
            for (var index = TileMath.FullTiles(level, m); index < TileMath.FullTiles(level, n); index++)
            {
                folder.DeletePartials(TileId.Hashes(level, index, TileId.FullWidth));
                if (level == 0)
                {
                    folder.DeletePartials(TileId.Entries(index, TileId.FullWidth));
                }
            }
        }
    }

    /// <summary>Fetches (or reads back) the partial tile of every level and checks that they give the checkpoint's root.</summary>
    private async Task VerifyPartialsAsync(Checkpoint next, CancellationToken cancellationToken)
    {
        var partials = Enumerable.Range(0, TileMath.TileLevels(next.Size))
            .Select(level => TileMath.TileAt(level, TileMath.FullTiles(level, next.Size), next.Size, entries: false))
            .OfType<TileId>()
            .ToList();
        foreach (var fromDisk in new[] { true, false })
        {
            var files = new Dictionary<TileId, (byte[] Bytes, bool Fetched)>();
            foreach (var tile in partials)
            {
                var bytes = fromDisk ? folder.Read(tile) : null;
                files[tile] = bytes is not null ? (bytes, false) : (await FetchAsync(tile, cancellationToken), true);
            }

            var parsed = files.ToDictionary(f => f.Key, f => TiledTree.ParseTile(f.Key, f.Value.Bytes));
            var malformed = parsed.Where(p => p.Value is null).Select(p => p.Key).ToList();
            if (malformed.Count > 0)
            {
                if (fromDisk)
                {
                    continue;
                }

                var bad = malformed[0];
                throw new TileMismatchException(bad, files[bad].Bytes, string.Create(CultureInfo.InvariantCulture,
                    $"the log's {bad} is {files[bad].Bytes.Length} bytes, not {bad.Width} hashes"));
            }

            var root = await new TiledTree(next.Size, (tile, _) => ValueTask.FromResult(parsed[tile]!)).RootAsync(null, cancellationToken);
            if (root != next.Root)
            {
                if (fromDisk && files.Values.Any(f => !f.Fetched))
                {
                    continue;
                }

                var top = partials[^1];
                throw new TileMismatchException(top, files[top].Bytes, string.Create(CultureInfo.InvariantCulture,
                    $"the log's tiles do not match its checkpoint: its partial tiles ({string.Join(", ", partials)}) give root {root} at size {next.Size}, but the checkpoint of size {next.Size} has root {next.Root}"));
            }

            foreach (var (tile, (bytes, fetched)) in files)
            {
                _verified[tile] = new Lazy<Task<Hash[]>>(Task.FromResult(parsed[tile]!));
                await KeepAsync(tile, bytes, fetched, cancellationToken);
            }

            return;
        }
    }

    /// <summary>A hash tile of the tree at N, verified against its parent; memoised (the bulk of level 0 is read through <see cref="LevelZeroTileAsync"/> instead).</summary>
    private Task<Hash[]> VerifiedTileAsync(TileId tile, CancellationToken cancellationToken)
    {
        var lazy = _verified.GetOrAdd(tile, t => new Lazy<Task<Hash[]>>(() => FullTileAsync(t, cancellationToken)));
        return lazy.Value;
    }

    /// <summary>A level-0 tile, from the memo when an earlier step verified it, else verified without keeping it: there is one per 256 entries.</summary>
    private Task<Hash[]> LevelZeroTileAsync(TileId tile, CancellationToken cancellationToken) =>
        _verified.ContainsKey(tile) || !tile.IsFull ? VerifiedTileAsync(tile, cancellationToken) : FullTileAsync(tile, cancellationToken);

    private async Task<Hash[]> FullTileAsync(TileId tile, CancellationToken cancellationToken)
    {
        if (!tile.IsFull)
        {
            throw new InvalidOperationException($"{tile} is partial; the partial tiles are verified against the root first.");
        }

        var parentTile = TileMath.TileAt(tile.Level + 1, tile.Index / TileId.FullWidth, _size, entries: false)!.Value;
        var parent = await VerifiedTileAsync(parentTile, cancellationToken);
        var expected = parent[(int)(tile.Index % TileId.FullWidth)];
        if (folder.Read(tile) is { } stored && TiledTree.ParseTile(tile, stored) is { } kept && MerkleMath.PerfectRoot(kept) == expected)
        {
            await KeepAsync(tile, stored, fetched: false, cancellationToken);
            return kept;
        }

        var bytes = await FetchAsync(tile, cancellationToken);
        var hashes = TiledTree.ParseTile(tile, bytes)
            ?? throw new TileMismatchException(tile, bytes, string.Create(CultureInfo.InvariantCulture, $"the log's {tile} is {bytes.Length} bytes, not {TileId.FullWidth} hashes"));
        var got = MerkleMath.PerfectRoot(hashes);
        if (got != expected)
        {
            throw new TileMismatchException(tile, bytes, string.Create(CultureInfo.InvariantCulture,
                $"the log's {tile} does not match its checkpoint of size {_size} (root {_root}): its hashes give {got}, but {parentTile} holds {expected} for it"));
        }

        await KeepAsync(tile, bytes, fetched: true, cancellationToken);
        return hashes;
    }

    /// <summary>The entry bundle <paramref name="bundle"/>: its leaves must hash to <paramref name="leafHashes"/>, its level-0 tile.</summary>
    private async Task BundleAsync(TileId bundle, Hash[] leafHashes, CancellationToken cancellationToken)
    {
        var hashes = new Hash[bundle.Width];
        if (folder.Read(bundle) is { } stored && EntryBundle.TryHashLeaves(stored, bundle.Width, hashes, out _) && hashes.AsSpan().SequenceEqual(leafHashes))
        {
            Interlocked.Increment(ref _reused);
            return;
        }

        var bytes = await FetchAsync(bundle, cancellationToken);
        if (!EntryBundle.TryHashLeaves(bytes, bundle.Width, hashes, out var error))
        {
            throw new TileMismatchException(bundle, bytes, $"the log's {bundle} is malformed: {error}");
        }

        for (var i = 0; i < hashes.Length; i++)
        {
            if (hashes[i] != leafHashes[i])
            {
                var index = (bundle.Index * TileId.FullWidth) + (ulong)i;
                throw new TileMismatchException(bundle, bytes, string.Create(CultureInfo.InvariantCulture,
                    $"the log's {bundle} does not match its checkpoint of size {_size} (root {_root}): entry {index} hashes to {hashes[i]}, but tile/0 holds {leafHashes[i]} for it"));
            }
        }

        await KeepAsync(bundle, bytes, fetched: true, cancellationToken);
    }

    private async Task<byte[]> FetchAsync(TileId tile, CancellationToken cancellationToken)
    {
        byte[]? bytes;
        try
        {
            bytes = await upstream.GetTileAsync(tile, cancellationToken);
        }
        catch (TileSourceException e)
        {
            throw new MirrorFailedException(e.Message, e);
        }

        Interlocked.Increment(ref _fetched);
        return bytes ?? throw new MirrorFailedException(string.Create(CultureInfo.InvariantCulture,
            $"{upstream.Name} has no {tile} (nor the full tile), which its checkpoint of size {_size} needs"));
    }

    /// <summary>Writes a verified file that was fetched: at once once the log is known consistent, else after that check.</summary>
    private async Task KeepAsync(TileId tile, byte[] bytes, bool fetched, CancellationToken cancellationToken)
    {
        if (!fetched)
        {
            Interlocked.Increment(ref _reused);
            return;
        }

        if (_writeThrough)
        {
            await folder.WriteAsync(tile.ToPath(), bytes, cancellationToken);
        }
        else
        {
            _pending.Enqueue((tile.ToPath(), bytes));
        }
    }

    private static IEnumerable<ulong> Range(ulong from, ulong to)
    {
        for (var i = from; i < to; i++)
        {
            yield return i;
        }
    }

    /// <summary>The log's checkpoint does not extend the folder's; the evidence is saved.</summary>
    private sealed class ConflictException(string message, string evidence) : Exception(message)
    {
        public string Evidence { get; } = evidence;
    }
}
