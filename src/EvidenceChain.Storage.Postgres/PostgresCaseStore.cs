using EvidenceChain.Ledger.Cases;
using EvidenceChain.Storage.Postgres.Internal;
using Npgsql;

namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// The cases' copy of the ledger's case events in table <c>case_events</c> (index, leaf bytes), with its watermark in
/// the <c>cases</c> row of <c>watermarks</c>; each write is one synchronously committed transaction. Derived: reset and
/// rebuilt from the ledger when it disagrees.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class PostgresCaseStore : ICaseStore
{
    private readonly NpgsqlDataSource _source;
    private readonly Lock _writeLock = new();

    public PostgresCaseStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _source = database.Source;
        using var command = _source.CreateCommand("SELECT value FROM watermarks WHERE name = 'cases'");
        Watermark = (ulong)(long)command.ExecuteScalar()!;
    }

    /// <inheritdoc/>
    public ulong Watermark { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<StoredCaseEvent> Load()
    {
        using var command = _source.CreateCommand("SELECT idx, leaf FROM case_events ORDER BY idx");
        using var reader = command.ExecuteReader();
        var events = new List<StoredCaseEvent>();
        while (reader.Read())
        {
            events.Add(new StoredCaseEvent((ulong)reader.GetInt64(0), (byte[])reader[1]));
        }

        return events;
    }

    /// <inheritdoc/>
    public void Add(StoredCaseEvent caseEvent, ulong watermark)
    {
        ArgumentNullException.ThrowIfNull(caseEvent);
        lock (_writeLock)
        {
            using var connection = _source.OpenConnection();
            using var tx = connection.BeginTransaction();
            using (var upsert = new NpgsqlCommand(
                "INSERT INTO case_events (idx, leaf) VALUES ($1, $2) ON CONFLICT (idx) DO UPDATE SET leaf = excluded.leaf", connection, tx)
                .With(Sql.Big(caseEvent.Index), caseEvent.Leaf.ToArray()))
            {
                upsert.ExecuteNonQuery();
            }

            WriteWatermark(connection, tx, watermark);
            tx.Commit();
            Watermark = watermark;
        }
    }

    /// <inheritdoc/>
    public void SetWatermark(ulong watermark)
    {
        lock (_writeLock)
        {
            using var connection = _source.OpenConnection();
            WriteWatermark(connection, null, watermark);
            Watermark = watermark;
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        lock (_writeLock)
        {
            using var connection = _source.OpenConnection();
            using var tx = connection.BeginTransaction();
            using (var clear = new NpgsqlCommand("DELETE FROM case_events", connection, tx))
            {
                clear.ExecuteNonQuery();
            }

            WriteWatermark(connection, tx, 0);
            tx.Commit();
            Watermark = 0;
        }
    }

    private static void WriteWatermark(NpgsqlConnection connection, NpgsqlTransaction? tx, ulong watermark)
    {
        using var command = new NpgsqlCommand("UPDATE watermarks SET value = $1 WHERE name = 'cases'", connection, tx).With(Sql.Big(watermark));
        command.ExecuteNonQuery();
    }
}
