using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Postgres.Internal;
using Npgsql;

namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// The digest index in PostgreSQL: <c>entry_leaves</c> (leaf hash → index), <c>entry_digests</c> (artefact digest,
/// index) and the <c>index</c> row of <c>watermarks</c> (how many entries it holds). Each <see cref="Add"/> is one
/// transaction that locks the watermark row, inserts only the entries from the watermark on and moves it, so the index
/// never has a gap and adding entries it holds already does nothing. Derived data: its commits are asynchronous
/// (<c>synchronous_commit = off</c>), and after a server crash it may lag the ledger, whose index follower catches it up.
/// </summary>
/// <remarks>
/// Thread-safe: any number of writers (the processes of a shared log; docs/formats.md §19) and readers, in any process.
/// </remarks>
internal sealed class PostgresEntryIndex : IEntryIndex
{
    private readonly NpgsqlDataSource _source;

    public PostgresEntryIndex(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _source = database.Source;
    }

    /// <inheritdoc/>
    public ulong IndexedSize
    {
        get
        {
            using var command = _source.CreateCommand("SELECT value FROM watermarks WHERE name = 'index'");
            return (ulong)(long)command.ExecuteScalar()!;
        }
    }

    /// <inheritdoc/>
    public void Add(IReadOnlyList<IndexedEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        var first = entries[0].Index;
        for (var i = 1; i < entries.Count; i++)
        {
            if (entries[i].Index != first + (ulong)i)
            {
                throw new ArgumentException($"Expected entry {first + (ulong)i} next; got {entries[i].Index}.", nameof(entries));
            }
        }

        var end = first + (ulong)entries.Count;
        using var connection = _source.OpenConnection();
        using var tx = connection.BeginTransaction();
        using (var off = new NpgsqlCommand("SET LOCAL synchronous_commit = off", connection, tx))
        {
            off.ExecuteNonQuery();
        }

        // The watermark row's lock orders the writers of a shared log's index: a second writer of the same entries
        // waits for the first to commit and then finds them indexed.
        ulong indexed;
        using (var watermark = new NpgsqlCommand("SELECT value FROM watermarks WHERE name = 'index' FOR UPDATE", connection, tx))
        {
            indexed = (ulong)(long)watermark.ExecuteScalar()!;
        }

        if (first > indexed)
        {
            throw new ArgumentException($"The index ends at entry {indexed}; entries are added in order, with no gaps (got {first} next).", nameof(entries));
        }

        if (end <= indexed)
        {
            return; // indexed already; the transaction rolls back
        }

        var skip = (int)(indexed - first);
        var leaves = new byte[entries.Count - skip][];
        var indices = new long[leaves.Length];
        var digests = new List<byte[]>(leaves.Length * 2);
        var digestIndices = new List<long>(leaves.Length * 2);
        for (var i = 0; i < leaves.Length; i++)
        {
            var e = entries[skip + i];
            leaves[i] = e.LeafHash.ToArray();
            indices[i] = Sql.Big(e.Index);
            foreach (var d in e.Digests.Distinct())
            {
                digests.Add(d.ToArray());
                digestIndices.Add(indices[i]);
            }
        }

        using (var move = new NpgsqlCommand("UPDATE watermarks SET value = $1 WHERE name = 'index'", connection, tx).With(Sql.Big(end)))
        {
            move.ExecuteNonQuery();
        }

        using (var insertLeaves = new NpgsqlCommand(
            "INSERT INTO entry_leaves SELECT * FROM unnest($1::bytea[], $2::bigint[]) ON CONFLICT DO NOTHING",
            connection, tx).With(Sql.Bytes(leaves), Sql.Bigints(indices)))
        {
            insertLeaves.ExecuteNonQuery();
        }

        if (digests.Count > 0)
        {
            using var insertDigests = new NpgsqlCommand(
                "INSERT INTO entry_digests SELECT * FROM unnest($1::bytea[], $2::bigint[]) ON CONFLICT DO NOTHING", connection, tx)
                .With(Sql.Bytes([.. digests]), Sql.Bigints([.. digestIndices]));
            insertDigests.ExecuteNonQuery();
        }

        tx.Commit();
    }

    /// <inheritdoc/>
    public void Reset()
    {
        using var connection = _source.OpenConnection();
        using var tx = connection.BeginTransaction();
        using (var clear = new NpgsqlCommand("TRUNCATE entry_leaves, entry_digests", connection, tx))
        {
            clear.ExecuteNonQuery();
        }

        using (var zero = new NpgsqlCommand("UPDATE watermarks SET value = 0 WHERE name = 'index'", connection, tx))
        {
            zero.ExecuteNonQuery();
        }

        tx.Commit();
    }

    /// <inheritdoc/>
    public ulong? FindByLeafHash(Hash leafHash)
    {
        using var command = _source.CreateCommand("SELECT idx FROM entry_leaves WHERE leaf_hash = $1").With(leafHash.ToArray());
        return command.ExecuteScalar() is long index ? (ulong)index : null;
    }

    /// <inheritdoc/>
    public IReadOnlyList<ulong> FindByDigest(Hash digest, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var command = _source.CreateCommand("SELECT idx FROM entry_digests WHERE digest = $1 ORDER BY idx LIMIT $2").With(digest.ToArray(), limit);
        using var reader = command.ExecuteReader();
        var found = new List<ulong>();
        while (reader.Read())
        {
            found.Add((ulong)reader.GetInt64(0));
        }

        return found;
    }
}
