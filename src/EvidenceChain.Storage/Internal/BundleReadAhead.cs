using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// The audit's entry bundles, read, split, hashed and parsed ahead of the ordered checks on all cores: a group of
/// bundles is loaded (one bundle per work item, its leaves hashed in one multi-buffer batch) while the caller checks
/// the previous group in order. Only work that depends on nothing but one bundle's bytes is done here; the hash
/// chain, the tree, the tiles and every report stay with the caller, in index order.
/// </summary>
/// <remarks>One reader: <see cref="NextAsync"/> is called in turn, never concurrently. Dispose to stop reading ahead.</remarks>
internal sealed class BundleReadAhead : IAsyncDisposable
{
    /// <summary>Bundles per group: 8 bundles are 2,048 entries, about 2 MB of ~1 KiB leaves.</summary>
    internal const int BundlesPerGroup = 8;

    private readonly AuditSource _source;
    private readonly ulong _size;
    private readonly string _origin;
    private readonly ulong _bundles;
    private readonly CancellationTokenSource _stop;
    private Task<LoadedBundle[]>? _ahead;
    private LoadedBundle[] _current = [];
    private int _next;
    private ulong _nextGroup;

    /// <summary>Starts reading the bundles of the log <paramref name="origin"/> at <paramref name="size"/> entries.</summary>
    public BundleReadAhead(AuditSource source, ulong size, string origin, CancellationToken cancellationToken)
    {
        _source = source;
        _size = size;
        _origin = origin;
        _bundles = (size + TileId.FullWidth - 1) / TileId.FullWidth;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ahead = StartGroup();
    }

    /// <summary>The next bundle in index order, or null after the last.</summary>
    public async ValueTask<LoadedBundle?> NextAsync()
    {
        if (_next == _current.Length)
        {
            if (_ahead is null)
            {
                return null;
            }

            _current = await _ahead.ConfigureAwait(false);
            _next = 0;
            _ahead = StartGroup();
        }

        return _current[_next++];
    }

    private Task<LoadedBundle[]>? StartGroup()
    {
        if (_nextGroup >= _bundles)
        {
            return null;
        }

        var first = _nextGroup;
        var count = (int)Math.Min(BundlesPerGroup, _bundles - first);
        _nextGroup += (ulong)count;
        var token = _stop.Token;
        return Task.Run(
            async () =>
            {
                var group = new LoadedBundle[count];
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, count),
                    new ParallelOptions { CancellationToken = token, MaxDegreeOfParallelism = Math.Max(1, _source.ReadConcurrency) },
                    async (b, ct) => group[b] = await LoadedBundle.LoadAsync(_source, first + (ulong)b, _size, _origin, ct).ConfigureAwait(false))
                    .ConfigureAwait(false);
                return group;
            },
            token);
    }

    /// <summary>Stops reading ahead and waits for the group in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_ahead is not null)
        {
            try
            {
                await _ahead.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped on purpose: its bundles are not needed.
            }
        }

        _stop.Dispose();
    }
}

/// <summary>
/// One entry bundle as the audit reads it: its bytes (null when the file is missing), why it does not split into its
/// leaves (null when it does), the leaves' places, hashes and parsed entries, and the bytes of the level-0 hash tile
/// of the same index and width (null when missing), which the ordered checks compare with the leaf hashes.
/// </summary>
internal sealed record LoadedBundle(
    TileId Id, byte[]? Bytes, string? Error, List<(int Offset, int Length)> Spans, Hash[] LeafHashes, ParsedLeaf[] Leaves, byte[]? Level0)
{
    /// <summary>Reads, splits, hashes and parses bundle <paramref name="bundleIndex"/> of the log <paramref name="origin"/> at <paramref name="size"/> entries.</summary>
    public static async Task<LoadedBundle> LoadAsync(AuditSource source, ulong bundleIndex, ulong size, string origin, CancellationToken cancellationToken)
    {
        var id = TileMath.TileAt(0, bundleIndex, size, entries: true)!.Value;
        var level0Read = source.ReadTileAsync(TileId.Hashes(0, id.Index, id.Width), cancellationToken).AsTask();
        var bytes = await source.ReadTileAsync(id, cancellationToken).ConfigureAwait(false);
        var level0 = await level0Read.ConfigureAwait(false);
        var spans = new List<(int Offset, int Length)>(TileId.FullWidth);
        if (bytes is null)
        {
            return new LoadedBundle(id, null, null, spans, [], [], level0);
        }

        var hashes = new Hash[id.Width];
        if (!EntryBundle.TrySplit(bytes, id.Width, spans, out var error)
            || !EntryBundle.TryHashLeaves(bytes, id.Width, hashes, out error))
        {
            return new LoadedBundle(id, bytes, error, spans, [], [], level0);
        }

        var leaves = new ParsedLeaf[spans.Count];
        for (var j = 0; j < leaves.Length; j++)
        {
            var index = (bundleIndex * TileId.FullWidth) + (ulong)j;
            leaves[j] = ParsedLeaf.Parse(bytes.AsSpan(spans[j].Offset, spans[j].Length), index, hashes[j], origin);
        }

        return new LoadedBundle(id, bytes, null, spans, hashes, leaves, level0);
    }
}

/// <summary>
/// One leaf, parsed, reduced to what the ordered checks need, so that a group of bundles in flight holds few objects:
/// the index, origin (null when it is the log's) and prev it states, its artefacts' SHA-256 digests and sizes, its
/// index fingerprint, and the whole entry only when it has committed fields or is an API-key event; or why it does not
/// parse.
/// </summary>
internal readonly record struct ParsedLeaf(
    ulong Index, string? OtherOrigin, Hash Prev, (Hash Sha256, long Size)[] Sizes, LedgerEntry? Kept, string? Error, Hash Fingerprint)
{
    /// <summary>Parses leaf <paramref name="index"/> of the log <paramref name="origin"/>, whose hash is <paramref name="leafHash"/>.</summary>
    public static ParsedLeaf Parse(ReadOnlySpan<byte> leaf, ulong index, Hash leafHash, string origin)
    {
        LedgerEntry entry;
        try
        {
            entry = LeafCodec.Parse(leaf);
        }
        catch (LeafFormatException e)
        {
            return new ParsedLeaf(index, null, default, [], null, e.Message, default);
        }

        var artefacts = entry.Draft.Artefacts;
        var sizes = artefacts.Count == 0 ? [] : new (Hash, long)[artefacts.Count];
        for (var i = 0; i < sizes.Length; i++)
        {
            sizes[i] = (artefacts[i].Sha256, artefacts[i].Size);
        }

        var keep = entry.Draft.Commitments.Count > 0 || entry.Draft.Kind == Core.Keys.ApiKeyEvent.Kind;
        return new ParsedLeaf(
            entry.Index,
            entry.Origin == origin ? null : entry.Origin,
            entry.Prev,
            sizes,
            keep ? entry : null,
            null,
            IndexFingerprint.Of(leafHash, artefacts));
    }
}
