using System.Data;
using System.Globalization;
using System.Security.Cryptography;
using EvidenceChain.Cli.Tiles;
using EvidenceChain.Core;
using EvidenceChain.Core.Tiles;
using EvidenceChain.Storage;
using EvidenceChain.Storage.Internal;
using Npgsql;

namespace EvidenceChain.Cli.Audit;

/// <summary>
/// A postgres-driver database as the audit reads it (docs/formats.md, "PostgreSQL layout"): <c>checkpoint_latest</c>,
/// <c>checkpoint_history</c>, <c>tiles</c>, <c>timestamps</c> and <c>blobs</c>/<c>blob_chunks</c>, all in one
/// read-only REPEATABLE READ transaction, so a node may keep appending while the audit sees one snapshot. It takes no
/// lock and writes nothing. One connection; reads are serialised on it.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class PostgresAuditSource : AuditSource, IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly string _where;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<(bool Entries, int Level, ulong Index), List<int>> _partials;

    private PostgresAuditSource(NpgsqlConnection connection, NpgsqlTransaction transaction, string where, Dictionary<(bool, int, ulong), List<int>> partials)
    {
        _connection = connection;
        _transaction = transaction;
        _where = where;
        _partials = partials;
    }

    public override string CheckpointWhere => "checkpoint_latest";

    public override int ReadConcurrency => 2;

    public override IReadOnlyList<string> NotChecked =>
    [
        "the index, search and case tables: derived data the node rebuilds from the log (not compared here)",
        "api_keys: not compared with the ledger's api-key-event entries for a database (audit a data folder for that check)",
        "key files: they are kept outside the database (docs/formats.md §19)",
    ];

    /// <summary>Connects (the connection string is never printed: only its host and database) and opens the snapshot.</summary>
    /// <exception cref="UsageException">The connection string or schema name is malformed.</exception>
    /// <exception cref="AuditSourceException">The database cannot be reached or holds no log.</exception>
    public static async Task<PostgresAuditSource> OpenAsync(string connectionString, string? schema, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // The message may quote the string, password included.
            throw new UsageException("--postgres is not an Npgsql connection string (Host=...;Database=...;Username=...)");
        }

        if (schema is not null)
        {
            if (schema.Length is 0 or > 63 || char.IsAsciiDigit(schema[0]) || !schema.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new UsageException($"--schema must be 1 to 63 ASCII letters, digits or underscores, not starting with a digit; got \"{schema}\"");
            }

            builder.SearchPath = schema;
        }

        builder.ApplicationName = "evidencectl-audit";
        var where = $"{builder.Host}/{builder.Database}{(schema is null ? string.Empty : "." + schema)}";
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var probe = new NpgsqlCommand("SELECT to_regclass('tiles') IS NOT NULL AND to_regclass('checkpoint_latest') IS NOT NULL", connection, transaction))
            {
                if (await probe.ExecuteScalarAsync(cancellationToken) is not true)
                {
                    throw new AuditSourceException($"database {where} holds no EvidenceChain log (no tiles or checkpoint_latest table{(schema is null ? " on the search path; give --schema" : " in that schema")})");
                }
            }

            var partials = new Dictionary<(bool, int, ulong), List<int>>();
            await using (var command = new NpgsqlCommand("SELECT entries, level, idx, width FROM tiles WHERE width < 256", connection, transaction))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var key = (reader.GetBoolean(0), (int)reader.GetInt16(1), (ulong)reader.GetInt64(2));
                    if (!partials.TryGetValue(key, out var list))
                    {
                        partials[key] = list = [];
                    }

                    list.Add(reader.GetInt16(3));
                }
            }

            return new PostgresAuditSource(connection, transaction, where, partials);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            await connection.DisposeAsync();
            throw new AuditSourceException($"database {where}: {e.Message}", e);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override async ValueTask<string?> ReadCheckpointAsync(CancellationToken cancellationToken) =>
        await QueryAsync("SELECT note FROM checkpoint_latest WHERE id = 1", [], async r => await r.ReadAsync(cancellationToken) ? r.GetString(0) : null, cancellationToken);

    public override async ValueTask<byte[]?> ReadTileAsync(TileId tile, CancellationToken cancellationToken)
    {
        var found = await QueryAsync(
            "SELECT width, data FROM tiles WHERE entries = $1 AND level = $2 AND idx = $3 AND width IN ($4, 256) ORDER BY width LIMIT 1",
            [tile.IsEntryBundle, (short)tile.Level, checked((long)tile.Index), (short)tile.Width],
            async r => await r.ReadAsync(cancellationToken) ? ((int)r.GetInt16(0), (byte[])r[1]) : ((int, byte[])?)null,
            cancellationToken);
        return found is not { } row ? null : row.Item1 == tile.Width ? row.Item2 : TileSource.Prefix(tile, row.Item2);
    }

    public override ValueTask<IReadOnlyList<int>> PartialWidthsAsync(TileId full, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<int>>(
            _partials.TryGetValue((full.IsEntryBundle, full.Level, full.Index), out var widths) ? widths : []);

    public override async ValueTask<AuditHistory?> ReadHistoryAsync(CancellationToken cancellationToken)
    {
        var records = await QueryAsync(
            "SELECT size, note FROM checkpoint_history ORDER BY size",
            [],
            async r =>
            {
                var list = new List<(string, string)>();
                while (await r.ReadAsync(cancellationToken))
                {
                    list.Add((string.Create(CultureInfo.InvariantCulture, $"checkpoint_history size {r.GetInt64(0)}"), r.GetString(1)));
                }

                return list;
            },
            cancellationToken);
        return new AuditHistory("checkpoint_history", records, null);
    }

    public override async ValueTask<IReadOnlyList<AuditToken>?> ReadTimestampsAsync(CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT size, checkpoint, response FROM timestamps ORDER BY size",
            [],
            async r =>
            {
                var list = new List<AuditToken>();
                while (await r.ReadAsync(cancellationToken))
                {
                    var size = (ulong)r.GetInt64(0);
                    list.Add(new AuditToken(string.Create(CultureInfo.InvariantCulture, $"timestamps size {size}"), size, r.GetString(1), (byte[])r[2]));
                }

                return list;
            },
            cancellationToken);

    public override async Task<bool> CheckBlobsAsync(IReadOnlyDictionary<Hash, long> sizes, AuditReport report, CancellationToken cancellationToken)
    {
        var blobs = await QueryAsync(
            "SELECT sha256, blob_id, size FROM blobs ORDER BY blob_id",
            [],
            async r =>
            {
                var list = new List<(byte[] Sha256, long Id, long Size)>();
                while (await r.ReadAsync(cancellationToken))
                {
                    list.Add(((byte[])r[0], r.GetInt64(1), r.GetInt64(2)));
                }

                return list;
            },
            cancellationToken);
        var stored = new HashSet<Hash>();
        foreach (var (name, id, size) in blobs)
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"blobs id {id}");
            if (name.Length != Hash.Size)
            {
                report.Problem(where, $"its sha256 is {name.Length} bytes, not {Hash.Size}");
                continue;
            }

            report.Blobs++;
            var claimed = new Hash(name);
            var (actual, length) = await HashChunksAsync(id, cancellationToken);
            if (actual != claimed)
            {
                report.Problem(where, $"names {claimed} but its chunks hash to {actual}");
                continue;
            }

            if (length != size)
            {
                report.Problem(where, string.Create(CultureInfo.InvariantCulture, $"says it is {size} bytes; its chunks hold {length}"));
                continue;
            }

            stored.Add(claimed);
            if (sizes.TryGetValue(claimed, out var listed) && listed != length)
            {
                report.Problem(where, string.Create(CultureInfo.InvariantCulture, $"is {length} bytes; the ledger lists {listed}"));
            }
        }

        foreach (var sha256 in sizes.Keys.Where(h => !stored.Contains(h)).Order())
        {
            report.Problem("blobs", $"the artefact {sha256} that the ledger lists is not stored (or not whole)");
        }

        return true;
    }

    private async Task<(Hash Sha256, long Length)> HashChunksAsync(long blobId, CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT seq, data FROM blob_chunks WHERE blob_id = $1 ORDER BY seq",
            [blobId],
            async r =>
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                long length = 0;
                var expected = 0;
                while (await r.ReadAsync(cancellationToken))
                {
                    if (r.GetInt32(0) != expected++)
                    {
                        // A gap: the content is not whole, so it cannot hash to its name.
                        hash.AppendData([0xff]);
                    }

                    var chunk = (byte[])r[1];
                    hash.AppendData(chunk);
                    length += chunk.Length;
                }

                return (new Hash(hash.GetHashAndReset()), length);
            },
            cancellationToken);

    private async Task<T> QueryAsync<T>(string sql, object[] parameters, Func<NpgsqlDataReader, Task<T>> read, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, _connection, _transaction);
            foreach (var value in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            return await read(reader);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidCastException)
        {
            throw new AuditSourceException($"database {_where}: {e.Message}", e);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
        _gate.Dispose();
    }
}
