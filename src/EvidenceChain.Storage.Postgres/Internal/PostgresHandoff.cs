using System.Collections.Concurrent;
using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger;
using Npgsql;

namespace EvidenceChain.Storage.Postgres.Internal;

/// <summary>
/// Several front-ends on one log (docs/formats.md, "Several front-ends"): a front-end inserts its appends into
/// <c>append_queue</c> and notifies the sequencer; the sequencer claims queued rows (fenced by its lease), appends
/// them, and after each is published writes its index into the row and notifies the front-ends; the front-end deletes
/// its answered rows and acknowledges. A new sequencer first settles the rows an earlier one claimed but did not
/// answer: those whose entry is in the log get their index, the others go back to the queue.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class PostgresHandoff : ISequencerHandoff, IAsyncDisposable
{
    private const int ClaimBatch = 2048;
    private const int MaxInFlight = 8192;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private readonly PostgresDatabase _database;
    private readonly Func<SequencerLease?> _lease;
    private readonly Task _sequencing;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private int _disposeStarted;
    private readonly Pulse _queued = new();
    private readonly Pulse _done = new();
    private readonly Pulse _published = new();
    private readonly Pulse _submitted = new();
    private readonly ConcurrentQueue<(byte[] Leaf, TaskCompletionSource<ulong> Answer)> _submissions = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<ulong>> _waiting = new();
    private readonly Task _listener;
    private readonly Task _submitter;
    private readonly Task _collector;

    public PostgresHandoff(PostgresDatabase database, Func<SequencerLease?> lease, Task sequencing, TimeProvider time)
    {
        _database = database;
        _lease = lease;
        _sequencing = sequencing;
        _time = time;
        _listener = Task.Run(ListenAsync, CancellationToken.None);
        _submitter = Task.Run(SubmitLoopAsync, CancellationToken.None);
        _collector = Task.Run(CollectLoopAsync, CancellationToken.None);
    }

    /// <inheritdoc/>
    public Task Sequencing => _sequencing;

    /// <inheritdoc/>
    public Task<ulong> SubmitAsync(byte[] draftLeaf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draftLeaf);
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        var answer = new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously);
        _submissions.Enqueue((draftLeaf, answer));
        _submitted.Set();
        return answer.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task WaitForPublishAsync(CancellationToken cancellationToken) => Pulse.WaitAsync(_published.Next, Poll, cancellationToken);

    /// <inheritdoc/>
    public async Task RunSequencerAsync(EvidenceLedger ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var answers = new ConcurrentQueue<(long Id, long? Index, string? Error)>();
        var recheck = new ConcurrentQueue<Claimed>();
        var answered = new Pulse();
        var inFlight = new ConcurrentDictionary<Task, byte>();
        using var answering = new CancellationTokenSource();
        var answerer = Task.Run(() => AnswerLoopAsync(answers, answered, answering.Token), CancellationToken.None);
        try
        {
            var settled = false;
            var lastSweep = _time.GetTimestamp();
            while (!cancellationToken.IsCancellationRequested && !ledger.IsFaulted)
            {
                var next = _queued.Next;
                try
                {
                    if (!settled)
                    {
                        // What an earlier sequencer took and did not answer, first.
                        await SettleAsync(ledger, await ReadForeignClaimsAsync(cancellationToken), answers, answered, cancellationToken);
                        settled = true;
                    }

                    if (_time.GetElapsedTime(lastSweep) > TimeSpan.FromMinutes(1))
                    {
                        lastSweep = _time.GetTimestamp();
                        await using var sweep = _database.Source.CreateCommand("DELETE FROM append_queue WHERE done < now() - interval '15 minutes'");
                        await sweep.ExecuteNonQueryAsync(cancellationToken);
                    }

                    next = await PumpOnceAsync(ledger, next, recheck, answers, answered, inFlight, cancellationToken);
                }
                catch (SequencerDeposedException)
                {
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database is unreachable for now; the queue waits there.
                    await Task.Delay(Poll, cancellationToken);
                    continue;
                }

                await Pulse.WaitAsync(next, Poll, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            // The appends taken are finished and answered before the sequencer's queue closes.
            await Task.WhenAll(inFlight.Keys);
            await answering.CancelAsync();
            await answerer;
        }
    }

    /// <summary>Settles the rows to check again and claims a batch; returns what to wait for before the next round (a completed task: at once).</summary>
    private async Task<Task> PumpOnceAsync(
        EvidenceLedger ledger,
        Task next,
        ConcurrentQueue<Claimed> recheck,
        ConcurrentQueue<(long, long?, string?)> answers,
        Pulse answered,
        ConcurrentDictionary<Task, byte> inFlight,
        CancellationToken cancellationToken)
    {
        if (!recheck.IsEmpty)
        {
            var rows = new List<Claimed>();
            while (recheck.TryDequeue(out var r))
            {
                rows.Add(r);
            }

            await SettleAsync(ledger, rows, answers, answered, cancellationToken);
        }

        var claimed = inFlight.Count >= MaxInFlight ? [] : await ClaimAsync(ledger.Size, cancellationToken);
        foreach (var row in claimed)
        {
            var task = AppendAsync(ledger, row, answers, answered, recheck);
            inFlight[task] = 0;
            _ = task.ContinueWith(t => inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return claimed.Count < ClaimBatch ? next : Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeStarted, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_listener, _submitter, _collector);
        while (_submissions.TryDequeue(out var s))
        {
            s.Answer.TrySetException(new ObjectDisposedException(nameof(PostgresHandoff), "The log's driver is closing."));
        }

        foreach (var w in _waiting.Values)
        {
            w.TrySetException(new ObjectDisposedException(nameof(PostgresHandoff), "The log's driver is closing."));
        }

        _stop.Dispose();
    }

    private static async Task AppendAsync(
        EvidenceLedger ledger, Claimed row, ConcurrentQueue<(long, long?, string?)> answers, Pulse answered, ConcurrentQueue<Claimed> recheck)
    {
        LedgerEntry entry;
        try
        {
            entry = LeafCodec.Parse(row.Leaf);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException)
        {
            answers.Enqueue((row.Id, null, "The queued append is not an entry: " + e.Message));
            answered.Set();
            return;
        }

        while (true)
        {
            try
            {
                var result = await ledger.AppendHandedOffAsync(entry.Draft, row.Time);
                answers.Enqueue((row.Id, Sql.Big(result.Index), null));
                answered.Set();
                return;
            }
            catch (LedgerBusyException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20));
            }
            catch (ArgumentException e)
            {
                answers.Enqueue((row.Id, null, e.Message));
                answered.Set();
                return;
            }
            catch (Exception)
            {
                // The batch failed (it may still have been published): look for it in the log before queueing it again.
                recheck.Enqueue(row);
                return;
            }
        }
    }

    /// <summary>
    /// Rows claimed but not answered: each whose entry (same content, same time) is in the log from its claim's size on
    /// is answered with that index; the others go back to the queue.
    /// </summary>
    private async Task SettleAsync(
        EvidenceLedger ledger, List<Claimed> rows, ConcurrentQueue<(long, long?, string?)> answers, Pulse answered, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var wanted = new Dictionary<string, Queue<Claimed>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            string key;
            try
            {
                key = Convert.ToHexString(LeafCodec.Encode(LeafCodec.Parse(row.Leaf) with { Index = 0, Prev = default, Time = row.Time }));
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException)
            {
                answers.Enqueue((row.Id, null, "The queued append is not an entry: " + e.Message));
                continue;
            }

            if (!wanted.TryGetValue(key, out var q))
            {
                wanted[key] = q = new Queue<Claimed>();
            }

            q.Enqueue(row);
        }

        var size = ledger.Size;
        for (var i = (ulong)rows.Min(r => r.ClaimSize); i < size && wanted.Count > 0;)
        {
            var entries = await ledger.GetEntriesAsync(i, 256, cancellationToken);
            foreach (var e in entries)
            {
                var key = Convert.ToHexString(LeafCodec.Encode(e.Entry with { Index = 0, Prev = default }));
                if (wanted.TryGetValue(key, out var q) && q.Peek().ClaimSize <= Sql.Big(e.Index))
                {
                    answers.Enqueue((q.Dequeue().Id, Sql.Big(e.Index), null));
                    if (q.Count == 0)
                    {
                        wanted.Remove(key);
                    }
                }
            }

            i += (ulong)entries.Count;
        }

        answered.Set();
        var requeue = wanted.Values.SelectMany(q => q).Select(r => r.Id).ToArray();
        if (requeue.Length > 0)
        {
            await FencedAsync(
                "UPDATE append_queue SET epoch = NULL, claim_size = NULL, claim_ms = NULL WHERE id = ANY($1) AND done IS NULL", [requeue], cancellationToken);
            _queued.Set();
        }
    }

    private async Task<List<Claimed>> ReadForeignClaimsAsync(CancellationToken cancellationToken)
    {
        var lease = _lease() ?? throw new SequencerDeposedException("This process does not sequence the log.");
        await using var command = _database.Source.CreateCommand(
            "SELECT id, leaf, claim_size, claim_ms FROM append_queue WHERE epoch IS NOT NULL AND epoch <> $1 AND done IS NULL ORDER BY id").With(lease.Token);
        return await ReadClaimedAsync(command, cancellationToken);
    }

    private async Task<List<Claimed>> ClaimAsync(ulong size, CancellationToken cancellationToken)
    {
        var lease = _lease() ?? throw new SequencerDeposedException("This process does not sequence the log.");
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await _database.Source.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await lease.CheckAsync(connection, tx, cancellationToken);
        await using var claim = new NpgsqlCommand(
            """
            UPDATE append_queue q SET epoch = $1, claim_size = $2, claim_ms = $3
            FROM (SELECT id FROM append_queue WHERE epoch IS NULL ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) c
            WHERE q.id = c.id RETURNING q.id, q.leaf, q.claim_size, q.claim_ms
            """, connection, tx).With(lease.Token, Sql.Big(size), now, ClaimBatch);
        var rows = await ReadClaimedAsync(claim, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        rows.Sort((a, b) => a.Id.CompareTo(b.Id));
        return rows;
    }

    private static async Task<List<Claimed>> ReadClaimedAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<Claimed>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Claimed(reader.GetInt64(0), (byte[])reader[1], reader.GetInt64(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }

        return rows;
    }

    private async Task FencedAsync(string sql, object?[] values, CancellationToken cancellationToken)
    {
        var lease = _lease() ?? throw new SequencerDeposedException("This process does not sequence the log.");
        await using var connection = await _database.Source.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await lease.CheckAsync(connection, tx, cancellationToken);
        await using (var command = new NpgsqlCommand(sql, connection, tx).With(values))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>The sequencer: writes answers (index or error) into their rows and wakes the front-ends.</summary>
    private async Task AnswerLoopAsync(ConcurrentQueue<(long Id, long? Index, string? Error)> answers, Pulse answered, CancellationToken stop)
    {
        var batch = new List<(long Id, long? Index, string? Error)>();
        while (true)
        {
            var next = answered.Next;
            while (batch.Count < 8192 && answers.TryDequeue(out var a))
            {
                batch.Add(a);
            }

            if (batch.Count == 0)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    await Pulse.WaitAsync(next, Poll, stop);
                }
                catch (OperationCanceledException)
                {
                }

                continue;
            }

            try
            {
                await using var command = _database.Source.CreateCommand(
                    """
                    WITH a AS (
                        UPDATE append_queue q SET idx = d.idx, error = d.error, done = now()
                        FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS d(id, idx, error) WHERE q.id = d.id RETURNING 1)
                    SELECT pg_notify($4, '') FROM (SELECT count(*) FROM a) c
                    """);
                command.With(
                    batch.Select(b => b.Id).ToArray(),
                    Sql.Typed(batch.Select(b => b.Index).ToArray(), NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint),
                    Sql.Texts([.. batch.Select(b => b.Error!)]),
                    _database.Channel("done"));
                await command.ExecuteNonQueryAsync(CancellationToken.None);
                batch.Clear();
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // The entries are in the log; the answer is written on the next try (or settled by the next sequencer).
                await Task.Delay(Poll, CancellationToken.None);
            }
            catch (Exception)
            {
                return;
            }
        }
    }

    /// <summary>A front-end: inserts what was submitted, in batches, and wakes the sequencer.</summary>
    private async Task SubmitLoopAsync()
    {
        var stop = _stop.Token;
        var batch = new List<(byte[] Leaf, TaskCompletionSource<ulong> Answer)>();
        while (!stop.IsCancellationRequested)
        {
            var next = _submitted.Next;
            while (batch.Count < 4096 && _submissions.TryDequeue(out var s))
            {
                batch.Add(s);
            }

            if (batch.Count == 0)
            {
                try
                {
                    await Pulse.WaitAsync(next, TimeSpan.FromSeconds(1), stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            try
            {
                await using var insert = _database.Source.CreateCommand(
                    """
                    WITH i AS (INSERT INTO append_queue (leaf) SELECT * FROM unnest($1::bytea[]) RETURNING id)
                    SELECT i.id FROM i CROSS JOIN (SELECT pg_notify($2, '')) n ORDER BY i.id
                    """).With(Sql.Bytes([.. batch.Select(b => b.Leaf)]), _database.Channel("queued"));
                var ids = new List<long>(batch.Count);
                await using (var reader = await insert.ExecuteReaderAsync(stop))
                {
                    while (await reader.ReadAsync(stop))
                    {
                        ids.Add(reader.GetInt64(0));
                    }
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    _waiting[ids[i]] = batch[i].Answer;
                }
            }
            catch (Exception e)
            {
                foreach (var s in batch)
                {
                    s.Answer.TrySetException(new IOException($"The append could not be handed to the log's sequencer: {e.Message}", e));
                }
            }

            batch.Clear();
        }
    }

    /// <summary>A front-end: collects the answers to its rows (deleting them) when woken, or every poll interval.</summary>
    private async Task CollectLoopAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            var next = _done.Next;
            try
            {
                if (!_waiting.IsEmpty)
                {
                    await using var collect = _database.Source.CreateCommand(
                        "DELETE FROM append_queue WHERE id = ANY($1) AND done IS NOT NULL RETURNING id, idx, error").With(_waiting.Keys.ToArray());
                    await using var reader = await collect.ExecuteReaderAsync(stop);
                    while (await reader.ReadAsync(stop))
                    {
                        if (_waiting.TryRemove(reader.GetInt64(0), out var answer))
                        {
                            if (!reader.IsDBNull(1))
                            {
                                answer.TrySetResult((ulong)reader.GetInt64(1));
                            }
                            else
                            {
                                answer.TrySetException(new ArgumentException(reader.IsDBNull(2) ? "The log's sequencer refused the append." : reader.GetString(2)));
                            }
                        }
                    }
                }

                await Pulse.WaitAsync(next, Poll, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // The database is unreachable for now: the rows wait there; try again.
                await Task.Delay(Poll, CancellationToken.None);
            }
        }
    }

    /// <summary>One connection LISTENs for the queue, answer and publish notifications of this log.</summary>
    private async Task ListenAsync()
    {
        var stop = _stop.Token;
        string queued = _database.Channel("queued"), done = _database.Channel("done"), published = _database.Channel("published");
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _database.Source.OpenConnectionAsync(stop);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == queued)
                    {
                        _queued.Set();
                    }
                    else if (e.Channel == done)
                    {
                        _done.Set();
                    }
                    else if (e.Channel == published)
                    {
                        _published.Set();
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {queued}; LISTEN {done}; LISTEN {published}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop);
                }

                // What happened while not listening is looked at now.
                _queued.Set();
                _done.Set();
                _published.Set();
                while (true)
                {
                    await connection.WaitAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private sealed record Claimed(long Id, byte[] Leaf, long ClaimSize, DateTimeOffset Time);
}
