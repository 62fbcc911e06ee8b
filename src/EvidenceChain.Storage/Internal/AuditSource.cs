using EvidenceChain.Core;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// Where the audit reads a log from (issue 18: an audit a court can run on any copy of the log): its latest checkpoint and, where the
/// source keeps them, its checkpoint history, its hash tiles and entry bundles, its checkpoint timestamp tokens and
/// its blobs. Implemented for a files-driver data folder (here), and by <c>evidencectl</c> for a mirror folder, a
/// published log over HTTP and a postgres database. What a source cannot give is listed in <see cref="NotChecked"/>
/// and reported, never skipped in silence. Nothing read is trusted: the audit checks every byte.
/// </summary>
/// <remarks>Reads may run concurrently: implementations are thread-safe.</remarks>
internal abstract class AuditSource
{
    /// <summary>What the reports call the latest checkpoint (<c>log/checkpoint</c>, <c>checkpoint</c>, a table).</summary>
    public abstract string CheckpointWhere { get; }

    /// <summary>Put before a tile's path (<c>tile/0/000</c>) in the reports: <c>log/</c> in a data folder.</summary>
    public virtual string TilePrefix => string.Empty;

    /// <summary>How many tiles and bundles to read at once.</summary>
    public virtual int ReadConcurrency => Environment.ProcessorCount;

    /// <summary>What this source cannot give the audit, each with why; said in the audit's output.</summary>
    public virtual IReadOnlyList<string> NotChecked => [];

    /// <summary>The latest checkpoint note, or null when the log has none.</summary>
    /// <exception cref="AuditSourceException">The source cannot be read.</exception>
    public abstract ValueTask<string?> ReadCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The tile or bundle <paramref name="tile"/>, or null when the source has none of that name. A source that
    /// serves a partial tile as the prefix of the full one it grew into (C2SP tlog-tiles) may do so.
    /// </summary>
    /// <exception cref="AuditSourceException">The source cannot be read.</exception>
    public abstract ValueTask<byte[]?> ReadTileAsync(TileId tile, CancellationToken cancellationToken);

    /// <summary>
    /// The widths of the older partial versions the source still holds of the tile or bundle whose full id is
    /// <paramref name="full"/> (files <c>N.p/W</c>), each to be checked as a prefix; empty when the source lists none.
    /// </summary>
    public virtual ValueTask<IReadOnlyList<int>> PartialWidthsAsync(TileId full, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<int>>([]);

    /// <summary>The checkpoint history, oldest first; null when the source keeps none.</summary>
    public virtual ValueTask<AuditHistory?> ReadHistoryAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<AuditHistory?>(null);

    /// <summary>The checkpoint timestamp tokens, in increasing tree size; null when the source keeps none.</summary>
    public virtual ValueTask<IReadOnlyList<AuditToken>?> ReadTimestampsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<AuditToken>?>(null);

    /// <summary>
    /// Re-hashes every stored blob and reports a blob that does not hash to its name, has another size than the
    /// ledger lists in <paramref name="sizes"/>, or is listed and missing; returns false when the source has no blobs
    /// to check (it then says so in <see cref="NotChecked"/>).
    /// </summary>
    public virtual Task<bool> CheckBlobsAsync(IReadOnlyDictionary<Hash, long> sizes, AuditReport report, CancellationToken cancellationToken) =>
        Task.FromResult(false);
}

/// <summary>A source's checkpoint history.</summary>
/// <param name="Where">What the reports call it (<c>log/checkpoints</c>, a table).</param>
/// <param name="Records">Each record's place (for reports) and signed note, oldest first.</param>
/// <param name="Damage">Why the history ends early (a torn record), or null.</param>
internal sealed record AuditHistory(string Where, IReadOnlyList<(string Where, string Note)> Records, string? Damage);

/// <summary>One stored checkpoint timestamp token.</summary>
/// <param name="Where">Its place, for reports.</param>
/// <param name="Size">The tree size it is stored under.</param>
/// <param name="Note">The checkpoint note it stamps.</param>
/// <param name="Response">The DER TimeStampResp.</param>
internal sealed record AuditToken(string Where, ulong Size, string Note, byte[] Response);

/// <summary>A source could not be read (unreachable, refused, malformed beyond checking); the message says which, in one line.</summary>
internal sealed class AuditSourceException(string message, Exception? inner = null) : Exception(message, inner);
