using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace EvidenceChain.Storage.Postgres.Internal;

/// <summary>
/// One log's database: a pooled <see cref="NpgsqlDataSource"/> whose connections all use the log's schema and commit
/// synchronously, opened after the schema was created or migrated to <see cref="Schema.Version"/>.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private PostgresDatabase(NpgsqlDataSource source, string schema)
    {
        Source = source;
        SchemaName = schema;
        LockKey = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("evidencechain-sequencer\n" + schema)), 0);
    }

    /// <summary>The pool.</summary>
    public NpgsqlDataSource Source { get; }

    /// <summary>The schema the log's tables are in.</summary>
    public string SchemaName { get; }

    /// <summary>The advisory lock key of this log's sequencer (advisory locks are per database; the key names the schema).</summary>
    public long LockKey { get; }

    /// <summary>The name of this log's notification channel <paramref name="kind"/> (LISTEN/NOTIFY channels are per database; the name carries the schema's key).</summary>
    public string Channel(string kind) => $"evidencechain_{kind}_{unchecked((ulong)LockKey):x16}";

    /// <summary>Opens the pool and creates or migrates the schema.</summary>
    /// <exception cref="ArgumentException">The connection string is missing or malformed, or the schema name is empty.</exception>
    /// <exception cref="NotSupportedException">The database was written by a newer version of this software.</exception>
    public static async Task<PostgresDatabase> OpenAsync(PostgresOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("Storage:Postgres must hold an Npgsql connection string (Host=...;Database=...;Username=...).", nameof(options));
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            // The message names the bad keyword, never the string (it may hold a password).
            throw new ArgumentException($"Storage:Postgres is not a valid Npgsql connection string: {e.Message}", nameof(options));
        }

        if (options.Schema is { } schema)
        {
            if (schema.Length == 0 || schema.Length > 63 || schema.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_')) || char.IsAsciiDigit(schema[0]))
            {
                throw new ArgumentException(
                    $"Storage:PostgresSchema must be 1 to 63 ASCII letters, digits or underscores, not starting with a digit; got \"{schema}\".", nameof(options));
            }

            builder.SearchPath = schema;
        }

        // An acknowledged append must survive the server's crash: whatever the server or role default says.
        builder.Options = (builder.Options is { Length: > 0 } o ? o + " " : string.Empty) + "-c synchronous_commit=on";
        builder.ApplicationName ??= "evidencechain";
        var source = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            var name = await MigrateAsync(source, options.Schema, cancellationToken);
            return new PostgresDatabase(source, name);
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> MigrateAsync(NpgsqlDataSource source, string? schema, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        if (schema is not null)
        {
            await using var create = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS \"{schema}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        string name;
        await using (var current = new NpgsqlCommand("SELECT current_schema()", connection, tx))
        {
            name = await current.ExecuteScalarAsync(cancellationToken) as string
                ?? throw new InvalidOperationException("The connection has no current schema: its search_path names no schema that exists.");
        }

        // Two processes opening one new log at once: the second waits here and then finds the tables made.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, tx))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("evidencechain-migrate\n" + name)), 0) });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var table = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)", connection, tx))
        {
            await table.ExecuteNonQueryAsync(cancellationToken);
        }

        int version;
        await using (var read = new NpgsqlCommand("SELECT max(version) FROM schema_version", connection, tx))
        {
            version = await read.ExecuteScalarAsync(cancellationToken) is int v ? v : 0;
        }

        if (version > Schema.Version)
        {
            throw new NotSupportedException(
                $"Schema {name} is at version {version}, newer than this build knows ({Schema.Version}); run a newer evidencechain.");
        }

        for (var i = version; i < Schema.Migrations.Length; i++)
        {
            await using var migrate = new NpgsqlCommand(Schema.Migrations[i], connection, tx);
            await migrate.ExecuteNonQueryAsync(cancellationToken);
        }

        if (version < Schema.Version)
        {
            await using var clear = new NpgsqlCommand("DELETE FROM schema_version", connection, tx);
            await clear.ExecuteNonQueryAsync(cancellationToken);
            await using var write = new NpgsqlCommand("INSERT INTO schema_version VALUES ($1)", connection, tx);
            write.Parameters.Add(new NpgsqlParameter { Value = Schema.Version });
            await write.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return name;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Source.DisposeAsync();
}
