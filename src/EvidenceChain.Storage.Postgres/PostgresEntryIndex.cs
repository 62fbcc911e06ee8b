using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Postgres.Internal;
using Npgsql;

namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// The digest index in PostgreSQL: <c>entry_leaves</c> (leaf hash → index), <c>entry_digests</c> (artefact digest,
/// index) and the <c>index</c> row of <c>watermarks</c> (how many entries it holds). Each <see cref="Add"/> is one
/// transaction that also moves the watermark, and only from where it stood, so the index never has a gap. Derived
/// data: its commits are asynchronous (<c>synchronous_commit = off</c>), and after a server crash it may lag the
/// ledger, which catches it up on open.
/// </summary>
/// <remarks>Thread-safe: one writer and any number of readers, in any process.</remarks>
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

        var leaves = new byte[entries.Count][];
        var indices = new long[entries.Count];
        var digests = new List<byte[]>(entries.Count * 2);
        var digestIndices = new List<long>(entries.Count * 2);
        var first = entries[0].Index;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.Index != first + (ulong)i)
            {
                throw new ArgumentException($"Expected entry {first + (ulong)i} next; got {e.Index}.", nameof(entries));
            }

            leaves[i] = e.LeafHash.ToArray();
            indices[i] = Sql.Big(e.Index);
            foreach (var d in e.Digests.Distinct())
            {
                digests.Add(d.ToArray());
                digestIndices.Add(indices[i]);
            }
        }

        using var connection = _source.OpenConnection();
        using var tx = connection.BeginTransaction();
        using (var off = new NpgsqlCommand("SET LOCAL synchronous_commit = off", connection, tx))
        {
            off.ExecuteNonQuery();
        }

        using (var move = new NpgsqlCommand("UPDATE watermarks SET value = $1 WHERE name = 'index' AND value = $2", connection, tx)
            .With(Sql.Big(first + (ulong)entries.Count), Sql.Big(first)))
        {
            if (move.ExecuteNonQuery() != 1)
            {
                throw new ArgumentException($"The index does not end at entry {first}; entries are added in order, with no gaps.", nameof(entries));
            }
        }

        using (var insertLeaves = new NpgsqlCommand(
            "INSERT INTO entry_leaves SELECT * FROM unnest($1::bytea[], $2::bigint[]) ON CONFLICT (leaf_hash) DO UPDATE SET idx = excluded.idx",
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
