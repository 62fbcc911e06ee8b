using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Ledger.Search;
using EvidenceChain.Storage.Postgres.Internal;
using Npgsql;

namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// The search store in table <c>search_entries</c> (one row per evidence entry: the fields of a
/// <see cref="SearchRecord"/>, committed fields in clear, and <c>text_lower</c>, the title, file name and URL lowered
/// with the invariant culture) and the <c>search</c> row of <c>watermarks</c> (the watermark and the leaf hash below
/// it). A search is one query, newest first, on the primary key (or the submitter's index) from the page cursor down.
/// Derived: its commits are asynchronous, and a store that lost its last writes is behind and caught up by the follower.
/// </summary>
/// <remarks>Thread-safe: one writer and any number of searches.</remarks>
internal sealed class PostgresSearchStore : ISearchStore
{
    private readonly NpgsqlDataSource _source;
    private readonly Lock _writeLock = new();
    private volatile State _state;

    public PostgresSearchStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _source = database.Source;
        using var command = _source.CreateCommand("SELECT value, leaf_hash FROM watermarks WHERE name = 'search'");
        using var reader = command.ExecuteReader();
        reader.Read();
        _state = new State((ulong)reader.GetInt64(0), reader.IsDBNull(1) ? null : new Hash((byte[])reader[1]));
    }

    /// <inheritdoc/>
    public ulong Watermark => _state.Watermark;

    /// <inheritdoc/>
    public Hash? LastLeafHash => _state.LastLeafHash;

    /// <inheritdoc/>
    public void Add(IReadOnlyList<SearchRecord> records, ulong watermark, Hash lastLeafHash)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_writeLock)
        {
            using var connection = _source.OpenConnection();
            using var tx = connection.BeginTransaction();
            using (var off = new NpgsqlCommand("SET LOCAL synchronous_commit = off", connection, tx))
            {
                off.ExecuteNonQuery();
            }

            if (records.Count > 0)
            {
                using var upsert = new NpgsqlCommand(
                    """
                    INSERT INTO search_entries
                    SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[],
                                         $9::bigint[], $10::text[], $11::bytea[], $12::bytea[], $13::boolean[], $14::text[], $15::text[])
                    ON CONFLICT (idx) DO UPDATE SET leaf_hash = excluded.leaf_hash, kind = excluded.kind, time_ticks = excluded.time_ticks,
                        submitter = excluded.submitter, title = excluded.title, file_name = excluded.file_name, url = excluded.url,
                        size = excluded.size, media_type = excluded.media_type, sha256 = excluded.sha256, sm3 = excluded.sm3,
                        has_screenshot = excluded.has_screenshot, capture_status = excluded.capture_status, text_lower = excluded.text_lower
                    """, connection, tx);
                upsert.With(
                    Sql.Bigints([.. records.Select(r => Sql.Big(r.Index))]),
                    Sql.Bytes([.. records.Select(r => r.LeafHash.ToArray())]),
                    Sql.Texts([.. records.Select(r => r.Kind)]),
                    Sql.Bigints([.. records.Select(r => r.Time.UtcTicks)]),
                    Sql.Texts([.. records.Select(r => r.Submitter)]),
                    Sql.Texts([.. records.Select(r => r.Title)]),
                    Sql.Texts([.. records.Select(r => r.FileName)]),
                    Sql.Texts([.. records.Select(r => r.Url)]),
                    Sql.Bigints([.. records.Select(r => r.Size)]),
                    Sql.Texts([.. records.Select(r => r.MediaType)]),
                    Sql.Bytes([.. records.Select(r => r.Sha256.ToArray())]),
                    Sql.Typed(records.Select(r => r.Sm3 is { } s ? s.ToArray() : null).ToArray(), NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bytea),
                    Sql.Typed(records.Select(r => r.HasScreenshot).ToArray(), NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Boolean),
                    Sql.Texts([.. records.Select(r => r.CaptureStatus)]),
                    Sql.Texts([.. records.Select(Text)]));
                upsert.ExecuteNonQuery();
            }

            using (var mark = new NpgsqlCommand("UPDATE watermarks SET value = $1, leaf_hash = $2 WHERE name = 'search'", connection, tx)
                .With(Sql.Big(watermark), lastLeafHash.ToArray()))
            {
                mark.ExecuteNonQuery();
            }

            tx.Commit();
            _state = new State(watermark, lastLeafHash);
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        lock (_writeLock)
        {
            using var connection = _source.OpenConnection();
            using var tx = connection.BeginTransaction();
            using (var clear = new NpgsqlCommand("TRUNCATE search_entries", connection, tx))
            {
                clear.ExecuteNonQuery();
            }

            using (var mark = new NpgsqlCommand("UPDATE watermarks SET value = 0, leaf_hash = NULL WHERE name = 'search'", connection, tx))
            {
                mark.ExecuteNonQuery();
            }

            tx.Commit();
            _state = new State(0, null);
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<SearchRecord> Search(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        var sql = new StringBuilder(
            "SELECT idx, leaf_hash, kind, time_ticks, submitter, title, file_name, url, size, media_type, sha256, sm3, has_screenshot, capture_status FROM search_entries WHERE true");
        using var command = _source.CreateCommand();
        void Where(string condition, object value)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
            sql.Append(" AND ").Append(condition.Replace("@", "$" + command.Parameters.Count, StringComparison.Ordinal));
        }

        if (query.Before != ulong.MaxValue)
        {
            Where("idx < @", Sql.Big(query.Before));
        }

        if (query.Submitter is { } submitter)
        {
            Where("submitter = @", submitter);
        }

        if (query.Kind is { } kind)
        {
            Where("kind = @", kind);
        }

        if (query.From is { } from)
        {
            Where("time_ticks >= @", from.UtcTicks);
        }

        if (query.To is { } to)
        {
            Where("time_ticks < @", to.UtcTicks);
        }

        if (!string.IsNullOrEmpty(query.Text))
        {
            Where("strpos(text_lower, @) > 0", query.Text.ToLowerInvariant());
        }

        if (query.Only is { } only)
        {
            Where("idx = ANY(@)", Sql.Bigints([.. only.Where(i => i <= long.MaxValue).Select(i => (long)i)]));
        }

        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit });
        sql.Append(" ORDER BY idx DESC LIMIT $").Append(command.Parameters.Count);
        command.CommandText = sql.ToString();
        using var reader = command.ExecuteReader();
        var results = new List<SearchRecord>();
        while (reader.Read())
        {
            results.Add(new SearchRecord(
                (ulong)reader.GetInt64(0),
                new Hash((byte[])reader[1]),
                reader.GetString(2),
                new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7),
                reader.GetInt64(8),
                reader.GetString(9),
                new Hash((byte[])reader[10]),
                reader.IsDBNull(11) ? null : new Hash((byte[])reader[11]),
                reader.GetBoolean(12),
                reader.GetString(13)));
        }

        return results;
    }

    private static string Text(SearchRecord r) => string.Join('\n', r.Title, r.FileName, r.Url).ToLowerInvariant();

    private sealed record State(ulong Watermark, Hash? LastLeafHash);
}
