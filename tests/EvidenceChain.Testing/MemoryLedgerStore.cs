using System.Collections.Concurrent;
using EvidenceChain.Ledger;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Testing;

/// <summary>
/// An in-memory <see cref="ILedgerStore"/> for sequencer tests: the same contract as the file store, with hooks
/// to hold a commit (<see cref="Gate"/>) or make the next write fail (<see cref="FailNextWrite"/>).
/// </summary>
public sealed class MemoryLedgerStore : ILedgerStore
{
    private readonly ConcurrentDictionary<TileId, byte[]> _tiles = new();
    private readonly List<string> _history = [];
    private string? _checkpoint;

    /// <summary>When set, every write waits for it to complete first.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When true, the next <see cref="WriteTilesAsync"/> throws an IOException (then resets).</summary>
    public bool FailNextWrite { get; set; }

    /// <summary>Checkpoints published, oldest first.</summary>
    public IReadOnlyList<string> History
    {
        get
        {
            lock (_history)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>How many write calls started.</summary>
    public int Writes => _writes;

    private int _writes;

    /// <inheritdoc/>
    public ValueTask<byte[]?> ReadTileAsync(TileId tile, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_tiles.TryGetValue(tile, out var bytes) ? bytes : null);

    /// <inheritdoc/>
    public ValueTask<string?> ReadCheckpointAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_checkpoint);

    /// <inheritdoc/>
    public async ValueTask WriteTilesAsync(IReadOnlyList<TileData> tiles, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        if (FailNextWrite)
        {
            FailNextWrite = false;
            throw new IOException("simulated disk failure");
        }

        foreach (var t in tiles)
        {
            _tiles[t.Id] = t.Bytes.ToArray();
        }
    }

    /// <inheritdoc/>
    public ValueTask DiscardBeyondAsync(ulong size, CancellationToken cancellationToken)
    {
        foreach (var id in _tiles.Keys)
        {
            if (TileMath.TileAt(id.Level, id.Index, size, id.IsEntryBundle) is not { } published || id.Width > published.Width)
            {
                _tiles.TryRemove(id, out _);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The tiles and bundles held.</summary>
    public IReadOnlyCollection<TileId> Tiles => [.. _tiles.Keys];

    /// <inheritdoc/>
    public ValueTask PublishCheckpointAsync(string signedCheckpoint, CancellationToken cancellationToken)
    {
        lock (_history)
        {
            _history.Add(signedCheckpoint);
        }

        _checkpoint = signedCheckpoint;
        return ValueTask.CompletedTask;
    }
}
