using Npgsql;

namespace EvidenceChain.Storage.Postgres.Internal;

/// <summary>
/// The right to sequence one log: a session-level advisory lock (<c>pg_try_advisory_lock</c>) held on a connection of
/// its own for as long as the lease lives, and a fencing token, the <c>sequencer.epoch</c> the holder set when it took
/// the lock. Every write to the log's tiles and checkpoints checks the token in its own transaction (holding the
/// sequencer row with <c>FOR SHARE</c>), so a process that lost its lock — its connection dropped, the server
/// restarted, it was paused past a failover — can never write once another has taken over: the taker's token bump
/// waits for the writes in flight and every later one fails.
/// </summary>
/// <remarks>Thread-safe. The lock is released when the lease is disposed or its connection ends (a killed process).</remarks>
internal sealed class SequencerLease : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private SequencerLease(NpgsqlConnection connection, long key, long token)
    {
        _connection = connection;
        _key = key;
        Token = token;
    }

    /// <summary>The fencing token: the epoch this holder set.</summary>
    public long Token { get; }

    /// <summary>
    /// Takes the lease, or, when another process holds it, throws <see cref="SequencerBusyException"/> (with
    /// <paramref name="wait"/>, waits until it is free or <paramref name="cancellationToken"/> fires).
    /// </summary>
    public static async Task<SequencerLease> AcquireAsync(PostgresDatabase database, string holder, bool wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var connection = await database.Source.OpenConnectionAsync(cancellationToken);
        try
        {
            while (true)
            {
                await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection).With(database.LockKey);
                if (await take.ExecuteScalarAsync(cancellationToken) is true)
                {
                    break;
                }

                if (!wait)
                {
                    await using var who = new NpgsqlCommand("SELECT holder, acquired FROM sequencer WHERE id = 1", connection);
                    await using var reader = await who.ExecuteReaderAsync(cancellationToken);
                    var by = await reader.ReadAsync(cancellationToken) ? $" ({reader.GetString(0)}, since {reader.GetDateTime(1):yyyy-MM-ddTHH:mm:ssZ})" : string.Empty;
                    throw new SequencerBusyException(
                        $"Another process sequences the log in schema {database.SchemaName}{by}; only one may append at a time.");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }

            await using var bump = new NpgsqlCommand(
                "UPDATE sequencer SET epoch = epoch + 1, holder = $1, acquired = now() WHERE id = 1 RETURNING epoch", connection).With(holder);
            var token = (long)(await bump.ExecuteScalarAsync(cancellationToken))!;
            return new SequencerLease(connection, database.LockKey, token);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Takes the lease if it is free; null when another process holds it.</summary>
    public static async Task<SequencerLease?> TryAcquireAsync(PostgresDatabase database, string holder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var connection = await database.Source.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection).With(database.LockKey);
            if (await take.ExecuteScalarAsync(cancellationToken) is not true)
            {
                await connection.DisposeAsync();
                return null;
            }

            await using var bump = new NpgsqlCommand(
                "UPDATE sequencer SET epoch = epoch + 1, holder = $1, acquired = now() WHERE id = 1 RETURNING epoch", connection).With(holder);
            var token = (long)(await bump.ExecuteScalarAsync(cancellationToken))!;
            return new SequencerLease(connection, database.LockKey, token);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Within <paramref name="transaction"/>, holds the sequencer row and checks that it still carries this lease's token.
    /// </summary>
    /// <exception cref="SequencerDeposedException">Another process has taken the lease over.</exception>
    public async Task CheckAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var check = new NpgsqlCommand("SELECT epoch FROM sequencer WHERE id = 1 FOR SHARE", connection, transaction);
        var epoch = (long)(await check.ExecuteScalarAsync(cancellationToken))!;
        if (epoch != Token)
        {
            throw new SequencerDeposedException(
                $"This process's sequencer lease (token {Token}) was taken over (token {epoch}); it may no longer write the log.");
        }
    }

    /// <summary>Releases the lock (closing the connection would too).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_connection.State == System.Data.ConnectionState.Open)
            {
                await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", _connection).With(_key);
                await release.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException)
        {
            // The connection is gone, and with it the lock.
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    /// <summary>Ends the lease's connection without releasing anything (tests: a process that died).</summary>
    internal async Task AbandonAsync()
    {
        await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(pg_backend_pid())", _connection);
        try
        {
            await kill.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }
}
