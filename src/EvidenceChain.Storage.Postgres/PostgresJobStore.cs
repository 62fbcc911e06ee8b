using EvidenceChain.Ledger.Jobs;
using EvidenceChain.Storage.Postgres.Internal;
using Npgsql;
using NpgsqlTypes;

namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// Capture jobs and watches in tables <c>capture_jobs</c>, <c>capture_job_items</c>, <c>watches</c> and
/// <c>watch_events</c> (docs/formats.md, "PostgreSQL layout"): the node's own state, as the files driver's
/// <c>jobs.db</c>. Each write is one synchronously committed statement or transaction; times are Unix milliseconds, as
/// in <c>jobs.db</c>.
/// </summary>
/// <remarks>Thread-safe (a connection per call from the pool).</remarks>
internal sealed class PostgresJobStore : ICaptureJobStore, IWatchStore
{
    private const string ItemColumns = "job_id, pos, url, state, entry_idx, reason, started_size";
    private const string WatchColumns = "id, url, submitter, case_id, every_ticks, start_ms, until_ms, no_browser, state, ended_ms, end_reason, summary_idx";
    private const string EventColumns = "watch_id, slot, slot_ms, kind, entry_idx, http_status, payload_sha256, reason, started_size";
    private readonly NpgsqlDataSource _source;

    public PostgresJobStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _source = database.Source;
    }

    /// <inheritdoc/>
    public void CreateJob(CaptureJob job, IReadOnlyList<string> urls)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(urls);
        using var connection = _source.OpenConnection();
        using var tx = connection.BeginTransaction();
        using (var insert = new NpgsqlCommand(
            "INSERT INTO capture_jobs (id, submitter, case_id, created_ms, url_count, no_browser) VALUES ($1, $2, $3, $4, $5, $6)", connection, tx)
            .With(job.Id, job.Submitter, job.CaseId, job.Created.ToUnixTimeMilliseconds(), job.UrlCount, job.NoBrowser))
        {
            insert.ExecuteNonQuery();
        }

        using (var items = new NpgsqlCommand(
            """
            INSERT INTO capture_job_items (job_id, pos, url, state, entry_idx, reason, started_size)
            SELECT $1, u.ord - 1, u.url, 'Pending', NULL, '', 0 FROM unnest($2) WITH ORDINALITY AS u (url, ord)
            """, connection, tx).With(job.Id, Sql.Texts([.. urls])))
        {
            items.ExecuteNonQuery();
        }

        tx.Commit();
    }

    /// <inheritdoc/>
    public CaptureJob? FindJob(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var command = _source.CreateCommand("SELECT id, submitter, case_id, created_ms, url_count, no_browser FROM capture_jobs WHERE id = $1").With(id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadJob(reader) : null;
    }

    /// <inheritdoc/>
    public IReadOnlyList<CaptureJob> Jobs()
    {
        using var command = _source.CreateCommand("SELECT id, submitter, case_id, created_ms, url_count, no_browser FROM capture_jobs ORDER BY created_ms, id COLLATE \"C\"");
        using var reader = command.ExecuteReader();
        var jobs = new List<CaptureJob>();
        while (reader.Read())
        {
            jobs.Add(ReadJob(reader));
        }

        return jobs;
    }

    /// <inheritdoc/>
    public IReadOnlyList<CaptureJobItem> Items(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return ReadItems($"SELECT {ItemColumns} FROM capture_job_items WHERE job_id = $1 ORDER BY pos", jobId);
    }

    /// <inheritdoc/>
    public void UpdateItem(CaptureJobItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        using var command = _source.CreateCommand(
            """
            INSERT INTO capture_job_items (job_id, pos, url, state, entry_idx, reason, started_size) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (job_id, pos) DO UPDATE SET url = EXCLUDED.url, state = EXCLUDED.state, entry_idx = EXCLUDED.entry_idx,
                reason = EXCLUDED.reason, started_size = EXCLUDED.started_size
            """).With(
            item.JobId, item.Position, item.Url, item.State.ToString(), Index(item.EntryIndex), item.Reason, Sql.Big(item.StartedAtSize));
        command.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public IReadOnlyList<CaptureJobItem> UnfinishedItems() => ReadItems(
        """
        SELECT i.job_id, i.pos, i.url, i.state, i.entry_idx, i.reason, i.started_size
        FROM capture_job_items i JOIN capture_jobs j ON j.id = i.job_id
        WHERE i.state IN ('Pending', 'Running')
        ORDER BY j.created_ms, i.job_id COLLATE "C", i.pos
        """);

    /// <inheritdoc/>
    public void PutWatch(Watch watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        using var command = _source.CreateCommand(
            $"""
            INSERT INTO watches ({WatchColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, submitter = EXCLUDED.submitter, case_id = EXCLUDED.case_id,
                every_ticks = EXCLUDED.every_ticks, start_ms = EXCLUDED.start_ms, until_ms = EXCLUDED.until_ms, no_browser = EXCLUDED.no_browser,
                state = EXCLUDED.state, ended_ms = EXCLUDED.ended_ms, end_reason = EXCLUDED.end_reason, summary_idx = EXCLUDED.summary_idx
            """).With(
            watch.Id, watch.Url, watch.Submitter, watch.CaseId, watch.Every.Ticks, watch.Start.ToUnixTimeMilliseconds(), watch.Until.ToUnixTimeMilliseconds(),
            watch.NoBrowser, watch.State.ToString(), Sql.Typed(watch.Ended?.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint), watch.EndReason, Index(watch.SummaryIndex));
        command.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public Watch? FindWatch(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return ReadWatches($"SELECT {WatchColumns} FROM watches WHERE id = $1", id).SingleOrDefault();
    }

    /// <inheritdoc/>
    public IReadOnlyList<Watch> Watches() => ReadWatches($"SELECT {WatchColumns} FROM watches ORDER BY start_ms, id COLLATE \"C\"");

    /// <inheritdoc/>
    public void PutEvent(WatchEvent watchEvent)
    {
        ArgumentNullException.ThrowIfNull(watchEvent);
        using var command = _source.CreateCommand(
            $"""
            INSERT INTO watch_events ({EventColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (watch_id, slot) DO UPDATE SET slot_ms = EXCLUDED.slot_ms, kind = EXCLUDED.kind, entry_idx = EXCLUDED.entry_idx,
                http_status = EXCLUDED.http_status, payload_sha256 = EXCLUDED.payload_sha256, reason = EXCLUDED.reason, started_size = EXCLUDED.started_size
            """).With(
            watchEvent.WatchId, watchEvent.Slot, watchEvent.SlotTime.ToUnixTimeMilliseconds(), watchEvent.Kind.ToString(), Index(watchEvent.EntryIndex),
            watchEvent.HttpStatus, watchEvent.PayloadSha256, watchEvent.Reason, Sql.Big(watchEvent.StartedAtSize));
        command.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public IReadOnlyList<WatchEvent> Events(string watchId)
    {
        ArgumentNullException.ThrowIfNull(watchId);
        using var command = _source.CreateCommand($"SELECT {EventColumns} FROM watch_events WHERE watch_id = $1 ORDER BY slot").With(watchId);
        using var reader = command.ExecuteReader();
        var events = new List<WatchEvent>();
        while (reader.Read())
        {
            events.Add(new WatchEvent(
                reader.GetString(0), reader.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), Enum.Parse<WatchEventKind>(reader.GetString(3)),
                OptionalIndex(reader, 4), reader.GetInt32(5), reader.GetString(6), reader.GetString(7), (ulong)reader.GetInt64(8)));
        }

        return events;
    }

    private static CaptureJob ReadJob(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetInt32(4), reader.GetBoolean(5));

    private static NpgsqlParameter Index(ulong? index) => Sql.Typed(index is { } i ? Sql.Big(i) : null, NpgsqlDbType.Bigint);

    private static ulong? OptionalIndex(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : (ulong)reader.GetInt64(column);

    private List<CaptureJobItem> ReadItems(string sql, params object?[] values)
    {
        using var command = _source.CreateCommand(sql).With(values);
        using var reader = command.ExecuteReader();
        var items = new List<CaptureJobItem>();
        while (reader.Read())
        {
            items.Add(new CaptureJobItem(
                reader.GetString(0), reader.GetInt32(1), reader.GetString(2), Enum.Parse<CaptureItemState>(reader.GetString(3)),
                OptionalIndex(reader, 4), reader.GetString(5), (ulong)reader.GetInt64(6)));
        }

        return items;
    }

    private List<Watch> ReadWatches(string sql, params object?[] values)
    {
        using var command = _source.CreateCommand(sql).With(values);
        using var reader = command.ExecuteReader();
        var watches = new List<Watch>();
        while (reader.Read())
        {
            watches.Add(new Watch(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), TimeSpan.FromTicks(reader.GetInt64(4)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)), reader.GetBoolean(7))
            {
                State = Enum.Parse<WatchState>(reader.GetString(8)),
                Ended = reader.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
                EndReason = reader.GetString(10),
                SummaryIndex = OptionalIndex(reader, 11),
            });
        }

        return watches;
    }
}
