using System.Buffers.Binary;
using EvidenceChain.Ledger;
using LiteDB;

namespace EvidenceChain.Storage;

/// <summary>
/// The look-up index in one LiteDB file. Every collection is keyed by its primary key alone (the cheapest
/// index LiteDB has): <c>leaves</c> {_id: leaf hash, i: entry index}, <c>digests</c> {_id: digest || index as
/// 8 big-endian bytes} so that one digest's entries are a key range, and <c>meta</c> holding how far it has
/// indexed. Everything here is derived from the ledger files and can be rebuilt (<c>evidencectl reindex</c>).
/// </summary>
/// <remarks>
/// Thread-safe (LiteDB serialises access). LiteDB 5 does not fsync its commits, so after a power loss the index
/// may lag the ledger; <see cref="EvidenceLedger"/> catches up on open. The file must only be opened by one
/// process: hold the <see cref="DataFolder"/> lock.
/// </remarks>
public sealed class LiteDbEntryIndex : IEntryIndex, IDisposable
{
    private const string SizeKey = "indexedSize";
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _leaves;
    private readonly ILiteCollection<BsonDocument> _digests;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly bool _readOnly;
    private bool _abandoned;
    private long _indexedSize;

    /// <summary>Opens or creates the index file at <paramref name="path"/>; <paramref name="readOnly"/> for audits.</summary>
    /// <exception cref="LiteException">The file is not a readable LiteDB index.</exception>
    public LiteDbEntryIndex(string path, bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _readOnly = readOnly;
        _db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, ReadOnly = readOnly });
        try
        {
            _leaves = _db.GetCollection("leaves");
            _digests = _db.GetCollection("digests");
            _meta = _db.GetCollection("meta");
            _indexedSize = _meta.FindById(SizeKey)?["v"].AsInt64 ?? 0;
        }
        catch
        {
            Internal.LiteDbQuirks.Abandon(_db);
            throw;
        }
    }

    /// <inheritdoc/>
    public ulong IndexedSize => (ulong)Interlocked.Read(ref _indexedSize);

    /// <inheritdoc/>
    public void Add(IReadOnlyList<IndexedEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        var next = IndexedSize;
        var leaves = new List<BsonDocument>(entries.Count);
        var digests = new List<BsonDocument>(entries.Count * 2);
        foreach (var e in entries)
        {
            if (e.Index != next)
            {
                throw new ArgumentException($"Expected entry {next} next; got {e.Index}.", nameof(entries));
            }

            leaves.Add(new BsonDocument { ["_id"] = new BsonValue(e.LeafHash.ToArray()), ["i"] = checked((long)e.Index) });
            foreach (var d in e.Digests.Distinct())
            {
                digests.Add(new BsonDocument { ["_id"] = new BsonValue(DigestKey(d, e.Index)) });
            }

            next++;
        }

        _db.BeginTrans();
        try
        {
            // A leaf hash seen before (the same leaf bytes twice cannot happen: each leaf holds its own index) would
            // throw on the primary key, which is the right outcome for a corrupt input.
            _leaves.InsertBulk(leaves, leaves.Count);
            _digests.InsertBulk(digests, Math.Max(1, digests.Count));
            _meta.Upsert(new BsonDocument { ["_id"] = SizeKey, ["v"] = checked((long)next) });
            _db.Commit();
        }
        catch
        {
            _db.Rollback();
            throw;
        }

        Interlocked.Exchange(ref _indexedSize, (long)next);
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _db.BeginTrans();
        _leaves.DeleteAll();
        _digests.DeleteAll();
        _meta.Delete(SizeKey);
        _db.Commit();
        Interlocked.Exchange(ref _indexedSize, 0);
    }

    /// <inheritdoc/>
    public ulong? FindByLeafHash(Hash leafHash)
    {
        var doc = _leaves.FindById(new BsonValue(leafHash.ToArray()));
        return doc is null ? null : (ulong)doc["i"].AsInt64;
    }

    /// <inheritdoc/>
    public IReadOnlyList<ulong> FindByDigest(Hash digest, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var from = new BsonValue(DigestKey(digest, 0));
        var to = new BsonValue(DigestKey(digest, ulong.MaxValue));
        return [.. _digests.Find(Query.Between("_id", from, to), limit: limit)
            .Select(d => BinaryPrimitives.ReadUInt64BigEndian(d["_id"].AsBinary.AsSpan(Hash.Size)))];
    }

    /// <summary>Every entry in the index, ascending, for audits (holds the whole index in memory).</summary>
    public IReadOnlyList<IndexedEntry> All()
    {
        var size = checked((int)IndexedSize);
        var leafHashes = new Hash?[size];
        foreach (var doc in _leaves.FindAll())
        {
            var index = doc["i"].AsInt64;
            if (index < 0 || index >= size || leafHashes[index] is not null)
            {
                throw new InvalidDataException($"leaves: entry {index} is out of range or listed twice");
            }

            leafHashes[index] = new Hash(doc["_id"].AsBinary);
        }

        var digests = new List<Hash>[size];
        foreach (var doc in _digests.FindAll())
        {
            var key = doc["_id"].AsBinary;
            var index = key.Length == Hash.Size + 8 ? BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(Hash.Size)) : ulong.MaxValue;
            if (index >= (ulong)size)
            {
                throw new InvalidDataException("digests: a key is malformed or names an entry beyond the index");
            }

            (digests[index] ??= []).Add(new Hash(key.AsSpan(0, Hash.Size)));
        }

        var all = new IndexedEntry[size];
        for (var i = 0; i < size; i++)
        {
            all[i] = new IndexedEntry(
                (ulong)i,
                leafHashes[i] ?? throw new InvalidDataException($"leaves: entry {i} is missing"),
                digests[i] ?? []);
        }

        return all;
    }

    /// <summary>
    /// Gives up on an index whose file turned out damaged (a query threw): releases it without running LiteDB's
    /// clean-up, which would fail on the same damage. The object is unusable afterwards.
    /// </summary>
    public void Abandon()
    {
        _abandoned = true;
        Internal.LiteDbQuirks.Abandon(_db);
    }

    /// <summary>Deletes the index file at <paramref name="path"/> and LiteDB's log beside it.</summary>
    public static void Delete(string path)
    {
        File.Delete(path);
        File.Delete(Path.Combine(
            Path.GetDirectoryName(path) ?? ".", Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path)));
    }

    /// <summary>Writes LiteDB's log into its data file, so the index survives a power loss.</summary>
    public void Checkpoint() => _db.Checkpoint();

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_abandoned)
        {
            return;
        }

        try
        {
            if (!_readOnly)
            {
                _db.Checkpoint();
            }
        }
        finally
        {
            _db.Dispose();
        }
    }

    private static byte[] DigestKey(Hash digest, ulong index)
    {
        var key = new byte[Hash.Size + 8];
        digest.CopyTo(key);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(Hash.Size), index);
        return key;
    }
}
