using System.Collections.Concurrent;
using EvidenceChain.Core;
using Npgsql;

namespace EvidenceChain.Storage.Postgres.Internal;

/// <summary>
/// Group commit of single-chunk blobs: the commits that arrive while others are being written go into the database
/// together, as one statement (the <c>blobs</c> rows and their chunks from arrays) in one transaction, so a thousand
/// small uploads a second cost tens of statements and commits, not thousands. At most <see cref="MaxWriters"/>
/// batches are written at once; whoever finds fewer writing starts one, and a writer keeps going while blobs wait.
/// </summary>
/// <remarks>
/// Thread-safe. A batch is written in a transaction that commits with <c>synchronous_commit = on</c> (the
/// connection's setting): when <see cref="StoreAsync"/> completes, the content is durable.
/// </remarks>
internal sealed class BlobGroupCommit
{
    /// <summary>Batches written at once.</summary>
    internal const int MaxWriters = 2;

    /// <summary>A batch takes no more blobs once it holds this many content bytes.</summary>
    internal const int MaxBatchBytes = 4 << 20;

    /// <summary>Blobs in one batch.</summary>
    internal const int MaxBatchCount = 1024;

    private readonly NpgsqlDataSource _source;
    private readonly ConcurrentQueue<Pending> _queue = new();
    private int _writers;

    public BlobGroupCommit(NpgsqlDataSource source)
    {
        _source = source;
    }

    /// <summary>
    /// Stores <paramref name="content"/> (at most one chunk; the array is the batch's from now on) under
    /// <paramref name="sha256"/> unless that SHA-256 is stored already; completes once the batch holding it is
    /// committed. Cancelling stops the wait, not the write.
    /// </summary>
    public Task StoreAsync(Hash sha256, byte[] content, CancellationToken cancellationToken)
    {
        var pending = new Pending(sha256.ToArray(), content, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Enqueue(pending);
        if (Interlocked.Increment(ref _writers) <= MaxWriters)
        {
            _ = Task.Run(WriteLoopAsync, CancellationToken.None);
        }
        else
        {
            Interlocked.Decrement(ref _writers);
        }

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>();
        while (true)
        {
            batch.Clear();
            long bytes = 0;
            while (batch.Count < MaxBatchCount && bytes < MaxBatchBytes && _queue.TryDequeue(out var next))
            {
                batch.Add(next);
                bytes += next.Content.Length;
            }

            if (batch.Count == 0)
            {
                // Stop, but look once more after counting out: a blob queued meanwhile saw this writer still counted.
                Interlocked.Decrement(ref _writers);
                if (_queue.IsEmpty)
                {
                    return;
                }

                if (Interlocked.Increment(ref _writers) > MaxWriters)
                {
                    Interlocked.Decrement(ref _writers);
                    return;
                }

                continue;
            }

            try
            {
                await WriteAsync(batch);
                foreach (var p in batch)
                {
                    p.Done.TrySetResult();
                }
            }
            catch (Exception e)
            {
                foreach (var p in batch)
                {
                    p.Done.TrySetException(e);
                }
            }
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        // One row per SHA-256: the same content twice in a batch is one blob.
        var unique = new Dictionary<Hash, Pending>(batch.Count);
        foreach (var p in batch)
        {
            unique.TryAdd(new Hash(p.Sha256), p);
        }

        var rows = unique.Values;
        await using var insert = _source.CreateCommand(
            """
            WITH u AS (SELECT * FROM unnest($1::bytea[], $2::bytea[]) AS u(sha256, data)),
            b AS (INSERT INTO blobs (sha256, blob_id, size, chunk_size) SELECT sha256, nextval('blob_ids'), length(data), $3 FROM u
                  ON CONFLICT (sha256) DO NOTHING RETURNING sha256, blob_id)
            INSERT INTO blob_chunks (blob_id, seq, data) SELECT b.blob_id, 0, u.data FROM b JOIN u ON u.sha256 = b.sha256 WHERE length(u.data) > 0
            """).With(Sql.Bytes([.. rows.Select(p => p.Sha256)]), Sql.Bytes([.. rows.Select(p => p.Content)]), PostgresBlobStore.ChunkSize);
        await insert.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private sealed record Pending(byte[] Sha256, byte[] Content, TaskCompletionSource Done);
}
