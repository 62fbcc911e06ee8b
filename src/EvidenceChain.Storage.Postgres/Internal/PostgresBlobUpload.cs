using System.Buffers;
using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Core.Digests;
using EvidenceChain.Ledger;
using Npgsql;

namespace EvidenceChain.Storage.Postgres.Internal;

/// <summary>
/// An upload into <see cref="PostgresBlobStore"/>, hashed chunk by chunk as it is written: SHA-256 on the writer's thread
/// and, for the national profile, SM3 beside it on the thread pool while the chunk's row is written. The first chunk stays in memory
/// (in a buffer that grows with the content, so a 1 KiB upload holds a few KiB, not a chunk); its commit goes into
/// the next group commit of small blobs (<see cref="BlobGroupCommit"/>). When the content outgrows one chunk the upload
/// opens a connection and a transaction and writes each full chunk as a row as it arrives, so memory stays at one chunk
/// whatever the size. Commit inserts the <c>blobs</c> row and commits; content already stored is kept once (the
/// transaction is rolled back, and its chunks with it).
/// </summary>
/// <remarks>Not thread-safe: one writer. A large upload holds one pooled connection until it is committed or disposed.</remarks>
internal sealed class PostgresBlobUpload : IBlobUpload
{
    private readonly PostgresBlobStore _store;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Sm3Hasher? _sm3;
    private const int FirstBuffer = 4096;
    private byte[] _chunk = []; // rented, grown up to a chunk as content arrives
    private int _filled;
    private long _length;
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private long _blobId;
    private int _chunks; // rows written
    private ArtefactDigests? _digests;

    public PostgresBlobUpload(PostgresBlobStore store, bool withSm3)
    {
        _store = store;
        _sm3 = withSm3 ? new Sm3Hasher() : null;
    }

    public long Length => _length;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_digests is not null)
        {
            throw new InvalidOperationException("The upload is already complete.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        _length += data.Length;
        while (!data.IsEmpty)
        {
            if (_filled == PostgresBlobStore.ChunkSize)
            {
                await FlushChunkAsync(cancellationToken);
            }

            var take = Math.Min(data.Length, PostgresBlobStore.ChunkSize - _filled);
            if (_chunk.Length < _filled + take)
            {
                Grow(_filled + take);
            }

            data.Span[..take].CopyTo(_chunk.AsSpan(_filled));
            _filled += take;
            data = data[take..];
        }
    }

    public async Task<ArtefactDigests> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_digests is not null)
        {
            throw new InvalidOperationException("The upload is already complete.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (_transaction is not null && _filled > 0)
        {
            await FlushChunkAsync(cancellationToken);
        }
        else if (_transaction is null)
        {
            await HashChunk(); // small content: its one chunk stays in memory until the commit writes it
        }

        Span<byte> digest = stackalloc byte[Hash.Size];
        _sha256.GetHashAndReset(digest);
        var sha256 = new Hash(digest);
        Hash? sm3 = null;
        if (_sm3 is not null)
        {
            _sm3.Finish(digest);
            sm3 = new Hash(digest);
        }

        _digests = new ArtefactDigests(_length, sha256, sm3);
        return _digests;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var digests = _digests ?? throw new InvalidOperationException("Complete the upload before committing it.");
        cancellationToken.ThrowIfCancellationRequested();
        if (_transaction is null)
        {
            // Small content: its row and its one chunk in the next group commit, nothing when the content is stored already.
            await _store.GroupCommit.StoreAsync(digests.Sha256, _chunk.AsSpan(0, _filled).ToArray(), cancellationToken);
            return;
        }

        await using (var insert = new NpgsqlCommand(
            "INSERT INTO blobs (sha256, blob_id, size, chunk_size) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING", _connection, _transaction)
            .With(digests.Sha256.ToArray(), _blobId, digests.Size, PostgresBlobStore.ChunkSize))
        {
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await _transaction.RollbackAsync(cancellationToken); // stored before: keep that copy
                return;
            }
        }

        await _transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _sha256.Dispose();
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync(); // an uncommitted one rolls back: its chunks are gone
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_chunk.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_chunk);
            _chunk = [];
        }
    }

    /// <summary>Moves the content into a rented buffer of at least <paramref name="needed"/> bytes (at most a chunk).</summary>
    private void Grow(int needed)
    {
        var size = Math.Min(PostgresBlobStore.ChunkSize, Math.Max(needed, Math.Max(FirstBuffer, _chunk.Length * 2)));
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _chunk.AsSpan(0, _filled).CopyTo(bigger);
        if (_chunk.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_chunk);
        }

        _chunk = bigger;
    }

    private async Task FlushChunkAsync(CancellationToken cancellationToken)
    {
        if (_transaction is null)
        {
            _connection = await _store.Source.OpenConnectionAsync(cancellationToken);
            _transaction = await _connection.BeginTransactionAsync(cancellationToken);
            await using var id = new NpgsqlCommand("SELECT nextval('blob_ids')", _connection, _transaction);
            _blobId = (long)(await id.ExecuteScalarAsync(cancellationToken))!;
        }

        var sm3 = HashChunk();
        try
        {
            await using var write = new NpgsqlCommand("INSERT INTO blob_chunks (blob_id, seq, data) VALUES ($1, $2, $3)", _connection, _transaction)
                .With(_blobId, _chunks, new ArraySegment<byte>(_chunk, 0, _filled));
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await sm3; // the buffer is refilled only once SM3 has read it
        }

        _chunks++;
        _filled = 0;
    }

    /// <summary>
    /// Hashes the filled part of the chunk: SHA-256 here, SM3 (when asked) on the thread pool, side by side; the task
    /// ends when SM3 has read the chunk. The chunk must not change until then.
    /// </summary>
    private Task HashChunk()
    {
        var chunk = new ReadOnlyMemory<byte>(_chunk, 0, _filled);
        var sm3 = _sm3 is { } hasher && !chunk.IsEmpty ? Task.Run(() => hasher.Append(chunk.Span)) : Task.CompletedTask;
        _sha256.AppendData(chunk.Span);
        return sm3;
    }
}
