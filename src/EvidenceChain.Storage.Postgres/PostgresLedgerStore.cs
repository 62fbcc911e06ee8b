using System.Globalization;
using EvidenceChain.Core;
using EvidenceChain.Core.Tiles;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Postgres.Internal;
using Npgsql;

namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// The ledger's tiles, entry bundles and checkpoints in PostgreSQL: table <c>tiles</c> (one row per tile or bundle
/// and width, full tiles with width 256), <c>checkpoint_history</c> (every published checkpoint, one per size) and
/// <c>checkpoint_latest</c>. <see cref="WriteTilesAsync"/> commits asynchronously; <see cref="PublishCheckpointAsync"/>
/// is one transaction (history row, latest row, and the partial tiles a newly full tile made redundant) committed
/// synchronously: the commit point of a batch, whose WAL flush also makes the batch's tiles durable.
/// </summary>
/// <remarks>
/// Reads are thread-safe and may come from any process. Writes come from the one sequencer: with a lease every write
/// checks its fencing token in the same transaction (<see cref="SequencerLease"/>); without one (tests, tools) the
/// caller promises to be the only writer. A checkpoint whose size is below the published one, or another
/// checkpoint of a size already published, is refused (<see cref="SequencerDeposedException"/>).
/// </remarks>
internal sealed class PostgresLedgerStore : ILedgerStore
{
    private readonly NpgsqlDataSource _source;
    private readonly Func<SequencerLease?>? _lease;
    private readonly string _published;
    private readonly List<TileId> _completed = []; // full tiles written since the last publish (writer only)

    public PostgresLedgerStore(PostgresDatabase database, SequencerLease? lease)
        : this(database, lease is null ? null : () => lease)
    {
    }

    /// <summary>
    /// A store whose writes check the lease <paramref name="lease"/> returns at the time (null from it: this process
    /// does not sequence the log, and every write is refused); a null <paramref name="lease"/> checks nothing.
    /// </summary>
    public PostgresLedgerStore(PostgresDatabase database, Func<SequencerLease?>? lease)
    {
        ArgumentNullException.ThrowIfNull(database);
        _source = database.Source;
        _lease = lease;
        _published = database.Channel("published");
    }

    /// <inheritdoc/>
    /// <remarks>A partial tile whose tile has since been completed is read as the prefix of the full tile.</remarks>
    public async ValueTask<byte[]?> ReadTileAsync(TileId tile, CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand(
            "SELECT width, data FROM tiles WHERE entries = $1 AND level = $2 AND idx = $3 AND width IN ($4, 256) ORDER BY width LIMIT 1");
        command.With(tile.IsEntryBundle, (short)tile.Level, Sql.Big(tile.Index), (short)tile.Width);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var width = reader.GetInt16(0);
        var bytes = (byte[])reader[1];
        if (width == tile.Width)
        {
            return bytes;
        }

        if (!tile.IsEntryBundle)
        {
            return bytes.Length == TileId.FullWidth * Hash.Size ? bytes[..(tile.Width * Hash.Size)] : null;
        }

        var spans = new List<(int Offset, int Length)>(TileId.FullWidth);
        return EntryBundle.TrySplit(bytes, TileId.FullWidth, spans, out _) ? bytes[..(spans[tile.Width - 1].Offset + spans[tile.Width - 1].Length)] : null;
    }

    /// <inheritdoc/>
    public async ValueTask<string?> ReadCheckpointAsync(CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand("SELECT note FROM checkpoint_latest WHERE id = 1");
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <inheritdoc/>
    public async ValueTask WriteTilesAsync(IReadOnlyList<TileData> tiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        if (tiles.Count == 0)
        {
            return;
        }

        var entries = new bool[tiles.Count];
        var levels = new short[tiles.Count];
        var indices = new long[tiles.Count];
        var widths = new short[tiles.Count];
        var data = new byte[tiles.Count][];
        for (var i = 0; i < tiles.Count; i++)
        {
            var id = tiles[i].Id;
            (entries[i], levels[i], indices[i], widths[i], data[i]) = (id.IsEntryBundle, (short)id.Level, Sql.Big(id.Index), (short)id.Width, tiles[i].Bytes.ToArray());
        }

        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await CheckLeaseAsync(connection, tx, cancellationToken);
        await using (var deferred = new NpgsqlCommand("SET LOCAL synchronous_commit = off", connection, tx))
        {
            // Nothing reads these tiles as part of the log before a checkpoint covering them is published, and the
            // publish commits synchronously after this commit: the server flushes its WAL in order, so that flush
            // makes these tiles durable too (docs/formats.md §19, "Commit point"). Until then a crash loses them
            // with the unpublished batch, as a crash between the two transactions always could.
            await deferred.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO tiles (entries, level, idx, width, data)
            SELECT * FROM unnest($1::boolean[], $2::smallint[], $3::bigint[], $4::smallint[], $5::bytea[])
            ON CONFLICT (entries, level, idx, width) DO UPDATE SET data = excluded.data
            """, connection, tx))
        {
            upsert.With(entries, levels, indices, widths, Sql.Bytes(data));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        _completed.AddRange(tiles.Where(t => t.Id.IsFull).Select(t => t.Id));
    }

    /// <inheritdoc/>
    /// <exception cref="SequencerDeposedException">
    /// Another process sequences the log now, or the log holds a newer checkpoint or another one of this size.
    /// </exception>
    public async ValueTask PublishCheckpointAsync(string signedCheckpoint, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(signedCheckpoint);
        var size = SizeOf(signedCheckpoint);
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await CheckLeaseAsync(connection, tx, cancellationToken);
        await using (var latest = new NpgsqlCommand("SELECT size FROM checkpoint_latest WHERE id = 1 FOR UPDATE", connection, tx))
        {
            if (await latest.ExecuteScalarAsync(cancellationToken) is long published && published > size)
            {
                throw new SequencerDeposedException(
                    $"The log's published checkpoint has size {published}; a checkpoint of size {size} cannot follow it (is another process sequencing this log?).");
            }
        }

        await using (var history = new NpgsqlCommand(
            "INSERT INTO checkpoint_history (size, note) VALUES ($1, $2) ON CONFLICT (size) DO NOTHING", connection, tx).With(size, signedCheckpoint))
        {
            if (await history.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await using var same = new NpgsqlCommand("SELECT note FROM checkpoint_history WHERE size = $1", connection, tx).With(size);
                if (await same.ExecuteScalarAsync(cancellationToken) as string != signedCheckpoint)
                {
                    throw new SequencerDeposedException(
                        $"The log already has another checkpoint of size {size}; a log never publishes two checkpoints of one size.");
                }
            }
        }

        await using (var publish = new NpgsqlCommand(
            "INSERT INTO checkpoint_latest (id, size, note) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET size = excluded.size, note = excluded.note",
            connection, tx).With(size, signedCheckpoint))
        {
            await publish.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection, tx).With(_published, size.ToString(CultureInfo.InvariantCulture)))
        {
            // Delivered at commit: front-ends following the log reload it.
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }

        if (_completed.Count > 0)
        {
            // Once a published checkpoint covers a full tile, its partials are only its prefixes (ReadTileAsync serves them).
            await using var prune = new NpgsqlCommand(
                """
                DELETE FROM tiles t USING unnest($1::boolean[], $2::smallint[], $3::bigint[]) AS f(entries, level, idx)
                WHERE t.entries = f.entries AND t.level = f.level AND t.idx = f.idx AND t.width < 256
                """, connection, tx);
            prune.With(
                _completed.Select(t => t.IsEntryBundle).ToArray(),
                _completed.Select(t => (short)t.Level).ToArray(),
                _completed.Select(t => Sql.Big(t.Index)).ToArray());
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        _completed.Clear();
    }

    /// <inheritdoc/>
    public async ValueTask DiscardBeyondAsync(ulong size, CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await CheckLeaseAsync(connection, tx, cancellationToken);
        int levels;
        await using (var max = new NpgsqlCommand("SELECT coalesce(max(level) + 1, 0) FROM tiles", connection, tx))
        {
            levels = (int)(await max.ExecuteScalarAsync(cancellationToken))!;
        }

        // Per level: every tile after the frontier, and at the frontier every width beyond the published one.
        var entries = new List<bool>();
        var levelList = new List<short>();
        var frontiers = new List<long>();
        var keep = new List<short>();
        for (var level = 0; level < levels; level++)
        {
            Add(false, level);
        }

        Add(true, 0);
        await using (var discard = new NpgsqlCommand(
            """
            DELETE FROM tiles t USING unnest($1::boolean[], $2::smallint[], $3::bigint[], $4::smallint[]) AS f(entries, level, frontier, width)
            WHERE t.entries = f.entries AND t.level = f.level AND (t.idx > f.frontier OR (t.idx = f.frontier AND t.width > f.width))
            """, connection, tx))
        {
            discard.With(entries.ToArray(), levelList.ToArray(), frontiers.ToArray(), keep.ToArray());
            await discard.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        _completed.Clear();

        void Add(bool isEntries, int level)
        {
            entries.Add(isEntries);
            levelList.Add((short)level);
            frontiers.Add(Sql.Big(TileMath.FullTiles(level, size)));
            keep.Add((short)TileMath.PartialWidth(level, size));
        }
    }

    /// <summary>Every published checkpoint, by increasing size (audits and tests).</summary>
    internal async Task<IReadOnlyList<string>> ReadHistoryAsync(CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand("SELECT note FROM checkpoint_history ORDER BY size");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var notes = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            notes.Add(reader.GetString(0));
        }

        return notes;
    }

    private Task CheckLeaseAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        if (_lease is null)
        {
            return Task.CompletedTask;
        }

        return _lease() is { } lease
            ? lease.CheckAsync(connection, tx, cancellationToken)
            : throw new SequencerDeposedException("This process does not sequence the log (another holds its lease); it may not write the log.");
    }

    // The size is the checkpoint body's second line (C2SP tlog-checkpoint).
    private static long SizeOf(string signedCheckpoint)
    {
        var lines = signedCheckpoint.Split('\n', 3);
        return lines.Length >= 3 && ulong.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? Sql.Big(size)
            : throw new ArgumentException("Not a signed checkpoint: its second line must be the tree size.", nameof(signedCheckpoint));
    }
}
