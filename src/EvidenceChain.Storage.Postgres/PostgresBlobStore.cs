using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Postgres.Internal;
using Npgsql;

namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// Content-addressed artefacts in PostgreSQL: <c>blobs</c> (SHA-256 → blob id, size, chunk size) and
/// <c>blob_chunks</c> (the content in rows of <see cref="ChunkSize"/> bytes, stored uncompressed out of line). An
/// upload holds at most one chunk in memory: content up to one chunk is written with its <c>blobs</c> row at commit,
/// together with the other small blobs committed at that time (<see cref="BlobGroupCommit"/>); larger content streams its chunks into a transaction of its own as it arrives, committed
/// with the <c>blobs</c> row, so an upload that is abandoned or cut off by a crash leaves nothing behind. Reading
/// fetches one chunk at a time.
/// </summary>
/// <remarks>
/// Why rows of chunks and not large objects: rows are carried by logical replication and by <c>pg_dump</c> of the
/// schema like everything else, need no <c>lo_unlink</c>/<c>vacuumlo</c> housekeeping and no privileges on
/// <c>pg_largeobject</c>, and a chunk is a random-access unit for range reads. Thread-safe.
/// </remarks>
internal sealed class PostgresBlobStore : IBlobStore
{
    /// <summary>Bytes per chunk row (the last chunk of a blob may be shorter).</summary>
    internal const int ChunkSize = 1 << 20;

    public PostgresBlobStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        Source = database.Source;
        GroupCommit = new BlobGroupCommit(Source);
    }

    /// <summary>The group commit of single-chunk blobs.</summary>
    internal BlobGroupCommit GroupCommit { get; }

    /// <summary>The pool.</summary>
    internal NpgsqlDataSource Source { get; }

    /// <inheritdoc/>
    public IBlobUpload BeginUpload(bool withSm3) => new PostgresBlobUpload(this, withSm3);

    /// <inheritdoc/>
    public Stream? OpenRead(Hash sha256)
    {
        using var command = Source.CreateCommand(
            """
            SELECT b.blob_id, b.size, b.chunk_size, CASE WHEN b.size <= b.chunk_size THEN (SELECT data FROM blob_chunks c WHERE c.blob_id = b.blob_id AND c.seq = 0) END
            FROM blobs b WHERE b.sha256 = $1
            """).With(sha256.ToArray());
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var size = reader.GetInt64(1);
        if (size == 0)
        {
            return new MemoryStream([], writable: false);
        }

        return reader.IsDBNull(3)
            ? new ChunkReadStream(Source, reader.GetInt64(0), size, reader.GetInt32(2))
            : new MemoryStream((byte[])reader[3], writable: false);
    }
}
