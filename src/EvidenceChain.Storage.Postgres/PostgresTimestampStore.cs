using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Storage.Postgres.Internal;
using Npgsql;

namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// The checkpoint tokens in table <c>timestamps</c> (tree size, the signed checkpoint, the DER TimeStampResp), one
/// synchronously committed transaction per append; a look-up is an index range scan.
/// </summary>
/// <remarks>Thread-safe for one writer and any number of readers. <see cref="Latest"/> is this process's view: what it
/// found on open and what it appended since.</remarks>
internal sealed class PostgresTimestampStore : ITimestampStore
{
    private readonly NpgsqlDataSource _source;
    private volatile StoredTimestamp? _latest;

    private PostgresTimestampStore(NpgsqlDataSource source, StoredTimestamp? latest)
    {
        _source = source;
        _latest = latest;
    }

    /// <summary>Opens the store, reading the latest token.</summary>
    public static async Task<PostgresTimestampStore> OpenAsync(PostgresDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var command = database.Source.CreateCommand("SELECT size, checkpoint, response FROM timestamps ORDER BY size DESC LIMIT 1");
        return new PostgresTimestampStore(database.Source, await ReadOneAsync(command, cancellationToken));
    }

    /// <inheritdoc/>
    public StoredTimestamp? Latest => _latest;

    /// <summary>Reads the latest token again (a process that takes sequencing over: the previous sequencer stored tokens since open).</summary>
    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand("SELECT size, checkpoint, response FROM timestamps ORDER BY size DESC LIMIT 1");
        _latest = await ReadOneAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task AppendAsync(IReadOnlyList<StoredTimestamp> timestamps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        if (timestamps.Count == 0)
        {
            return;
        }

        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        ulong? last;
        await using (var max = new NpgsqlCommand("SELECT max(size) FROM timestamps", connection, tx))
        {
            last = await max.ExecuteScalarAsync(cancellationToken) is long m ? (ulong)m : null;
        }

        foreach (var t in timestamps)
        {
            if (last is { } l && t.Size <= l)
            {
                throw new ArgumentException($"Tokens are stored in increasing tree size; {t.Size} does not follow {l}.", nameof(timestamps));
            }

            last = t.Size;
        }

        await using (var insert = new NpgsqlCommand(
            "INSERT INTO timestamps (size, checkpoint, response) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[])", connection, tx))
        {
            insert.With(
                Sql.Bigints([.. timestamps.Select(t => Sql.Big(t.Size))]),
                Sql.Texts([.. timestamps.Select(t => t.SignedCheckpoint)]),
                Sql.Bytes([.. timestamps.Select(t => t.Response)]));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        _latest = timestamps[^1];
    }

    /// <inheritdoc/>
    public async Task<StoredTimestamp?> FindCoveringAsync(ulong minimumSize, CancellationToken cancellationToken)
    {
        if (minimumSize > long.MaxValue)
        {
            return null;
        }

        await using var command = _source.CreateCommand("SELECT size, checkpoint, response FROM timestamps WHERE size >= $1 ORDER BY size LIMIT 1")
            .With((long)minimumSize);
        return await ReadOneAsync(command, cancellationToken);
    }

    private static async Task<StoredTimestamp?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredTimestamp((ulong)reader.GetInt64(0), reader.GetString(1), (byte[])reader[2])
            : null;
    }
}
