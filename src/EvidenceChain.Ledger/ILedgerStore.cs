using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Ledger;

/// <summary>
/// Where the ledger's source of truth lives: tiles, entry bundles and checkpoints in the C2SP tlog-tiles layout.
/// Implementations make <see cref="WriteTilesAsync"/> and <see cref="PublishCheckpointAsync"/> durable before they return.
/// </summary>
public interface ILedgerStore
{
    /// <summary>Reads a hash tile or entry bundle; null when the file does not exist.</summary>
    ValueTask<byte[]?> ReadTileAsync(TileId tile, CancellationToken cancellationToken);

    /// <summary>Reads the latest published signed checkpoint; null when none was ever published.</summary>
    ValueTask<string?> ReadCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Durably writes <paramref name="tiles"/>, each replacing any file of the same name atomically. Returns only
    /// when they would survive a crash or power loss. Nothing refers to them until a checkpoint is published.
    /// </summary>
    ValueTask WriteTilesAsync(IReadOnlyList<TileData> tiles, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="signedCheckpoint"/> to the checkpoint history and publishes it as the latest
    /// checkpoint, durably: this is the commit point of a batch.
    /// </summary>
    ValueTask PublishCheckpointAsync(string signedCheckpoint, CancellationToken cancellationToken);

    /// <summary>
    /// Removes tiles and bundles that no checkpoint up to <paramref name="size"/> refers to: those a batch wrote
    /// before it crashed without publishing. Called by the writer on open, before it appends, so that every
    /// partial tile left in the store belongs to a published checkpoint.
    /// </summary>
    ValueTask DiscardBeyondAsync(ulong size, CancellationToken cancellationToken);
}
