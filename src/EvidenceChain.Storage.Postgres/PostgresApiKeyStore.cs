using System.Collections.Concurrent;
using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Postgres.Internal;
using Npgsql;

namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// API keys in table <c>api_keys</c> (everything but the secret, of which only the SHA-256 is kept), each write one
/// synchronously committed statement. Every key is also held in memory, so authenticating a call usually reads
/// nothing: a miss looks the id up in the table, and the whole table (a few hundred small rows) is read again on a
/// look-up at most every <see cref="RefreshInterval"/>, so a key another process revoked stops working here within
/// that interval.
/// </summary>
/// <remarks>Thread-safe; any number of processes may share the table.</remarks>
internal sealed class PostgresApiKeyStore : IApiKeyStore
{
    /// <summary>How stale this process's view of other processes' changes may be.</summary>
    internal static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private const string Columns = "id, role, description, secret_sha256, created_ticks, revoked_ticks";
    private readonly NpgsqlDataSource _source;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, ApiKeyRecord> _cache = new(StringComparer.Ordinal);
    private readonly Lock _refreshLock = new();
    private long _refreshed; // timestamp of the last refresh

    public PostgresApiKeyStore(PostgresDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        _source = database.Source;
        _time = time;
        Refresh();
    }

    /// <inheritdoc/>
    public int Count
    {
        get
        {
            RefreshIfDue();
            return _cache.Count;
        }
    }

    /// <inheritdoc/>
    public ApiKeyRecord? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        RefreshIfDue();
        if (_cache.TryGetValue(id, out var key))
        {
            return key;
        }

        // Perhaps another process made it since the last refresh.
        using var command = _source.CreateCommand($"SELECT {Columns} FROM api_keys WHERE id = $1").With(id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Remember(reader) : null;
    }

    /// <inheritdoc/>
    public IReadOnlyList<ApiKeyRecord> List()
    {
        Refresh();
        return [.. _cache.Values.OrderBy(k => k.Created).ThenBy(k => k.Id, StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public async Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var command = _source.CreateCommand(
            """
            INSERT INTO api_keys (id, role, description, secret_sha256, created_ticks, revoked_ticks)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING
            """).With(
            key.Id, key.Role, key.Description, key.SecretHash.ToArray(), key.Created.UtcTicks,
            Sql.Typed(key.Revoked?.UtcTicks, NpgsqlTypes.NpgsqlDbType.Bigint));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new ArgumentException($"API key {key.Id} already exists.", nameof(key));
        }

        _cache[key.Id] = key;
    }

    /// <inheritdoc/>
    public async Task<ApiKeyRecord?> RevokeAsync(string id, DateTimeOffset revoked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        ApiKeyRecord key;
        await using (var read = new NpgsqlCommand($"SELECT {Columns} FROM api_keys WHERE id = $1 FOR UPDATE", connection, tx).With(id))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            key = Parse(reader);
        }

        if (key.Revoked is { } at)
        {
            throw new InvalidOperationException($"API key {id} was already revoked at {at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.");
        }

        await using (var update = new NpgsqlCommand(
            "UPDATE api_keys SET revoked_ticks = $2 WHERE id = $1", connection, tx).With(id, revoked.UtcTicks))
        {
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        var result = key with { Revoked = revoked };
        _cache[id] = result;
        return result;
    }

    private void RefreshIfDue()
    {
        if (_time.GetElapsedTime(Interlocked.Read(ref _refreshed)) >= RefreshInterval)
        {
            Refresh();
        }
    }

    private void Refresh()
    {
        lock (_refreshLock)
        {
            using var command = _source.CreateCommand($"SELECT {Columns} FROM api_keys");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                Remember(reader);
            }

            Interlocked.Exchange(ref _refreshed, _time.GetTimestamp());
        }
    }

    private ApiKeyRecord Remember(NpgsqlDataReader reader)
    {
        var key = Parse(reader);
        _cache[key.Id] = key;
        return key;
    }

    private static ApiKeyRecord Parse(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        new Hash((byte[])reader[3]),
        new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
        reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero));
}
