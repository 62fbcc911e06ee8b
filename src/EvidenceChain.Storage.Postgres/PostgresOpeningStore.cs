using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Postgres.Internal;
using Npgsql;

namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// Openings in table <c>openings</c> (key: the entry's first commitment; value: its canonical disclosure), each saved
/// in its own synchronously committed statement before the entry that needs it is appended. As private as the
/// artefacts: grant the table to the node's role only.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class PostgresOpeningStore : IOpeningStore
{
    private readonly NpgsqlDataSource _source;

    public PostgresOpeningStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _source = database.Source;
    }

    /// <inheritdoc/>
    public async Task SaveAsync(Hash key, ReadOnlyMemory<byte> disclosure, CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand(
            "INSERT INTO openings (key, disclosure) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET disclosure = excluded.disclosure")
            .With(key.ToArray(), disclosure.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<byte[]?> ReadAsync(Hash key, CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand("SELECT disclosure FROM openings WHERE key = $1").With(key.ToArray());
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }
}
