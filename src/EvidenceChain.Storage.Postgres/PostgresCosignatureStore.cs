using EvidenceChain.Ledger.Witnessing;
using EvidenceChain.Storage.Postgres.Internal;
using Npgsql;

namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// The witnesses' cosignatures in the one row of table <c>cosignatures</c>: each witness's last cosigned size (two
/// parallel arrays), and the newest cosigned and the newest quorum checkpoint with their witnesses. Each save
/// replaces the row in one synchronously committed statement.
/// </summary>
/// <remarks>Thread-safe for one writer and any number of readers; <see cref="Current"/> is what this process read on
/// open or saved since.</remarks>
internal sealed class PostgresCosignatureStore : ICosignatureStore
{
    private readonly NpgsqlDataSource _source;
    private volatile CosignatureState _current;

    private PostgresCosignatureStore(NpgsqlDataSource source, CosignatureState current)
    {
        _source = source;
        _current = current;
    }

    /// <summary>Opens the store, reading the saved state.</summary>
    public static async Task<PostgresCosignatureStore> OpenAsync(PostgresDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new PostgresCosignatureStore(database.Source, await ReadAsync(database.Source, cancellationToken));
    }

    /// <summary>
    /// Reads the saved state again (a process that takes sequencing over: the previous sequencer saved cosignatures since
    /// this one opened, and a new round must not start from what it read then).
    /// </summary>
    internal async Task RefreshAsync(CancellationToken cancellationToken) => _current = await ReadAsync(_source, cancellationToken);

    private static async Task<CosignatureState> ReadAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(
            "SELECT witness_names, witness_sizes, latest_size, latest_note, latest_witnesses, quorum_size, quorum_note, quorum_witnesses FROM cosignatures WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return CosignatureState.Empty;
        }

        var names = (string[])reader[0];
        var sizes = (long[])reader[1];
        return new CosignatureState(Read(reader, 2), Read(reader, 5), [.. names.Zip(sizes, (n, s) => new WitnessRecord(n, (ulong)s))]);
    }

    /// <inheritdoc/>
    public CosignatureState Current => _current;

    /// <inheritdoc/>
    public async Task SaveAsync(CosignatureState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await using var command = _source.CreateCommand(
            """
            INSERT INTO cosignatures VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (id) DO UPDATE SET witness_names = excluded.witness_names, witness_sizes = excluded.witness_sizes,
                latest_size = excluded.latest_size, latest_note = excluded.latest_note, latest_witnesses = excluded.latest_witnesses,
                quorum_size = excluded.quorum_size, quorum_note = excluded.quorum_note, quorum_witnesses = excluded.quorum_witnesses
            """);
        command.With(
            Sql.Texts([.. state.Witnesses.Select(w => w.Name)]),
            Sql.Bigints([.. state.Witnesses.Select(w => Sql.Big(w.Size))]),
            Sql.Typed(state.Latest is { } l ? Sql.Big(l.Size) : null, NpgsqlTypes.NpgsqlDbType.Bigint),
            Sql.Typed(state.Latest?.SignedNote, NpgsqlTypes.NpgsqlDbType.Text),
            Sql.Texts(state.Latest is { } lw ? [.. lw.Witnesses] : null),
            Sql.Typed(state.Quorum is { } q ? Sql.Big(q.Size) : null, NpgsqlTypes.NpgsqlDbType.Bigint),
            Sql.Typed(state.Quorum?.SignedNote, NpgsqlTypes.NpgsqlDbType.Text),
            Sql.Texts(state.Quorum is { } qw ? [.. qw.Witnesses] : null));
        await command.ExecuteNonQueryAsync(cancellationToken);
        _current = state;
    }

    private static CosignedCheckpoint? Read(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : new CosignedCheckpoint((ulong)reader.GetInt64(column), reader.GetString(column + 1), (string[])reader[column + 2]);
}
