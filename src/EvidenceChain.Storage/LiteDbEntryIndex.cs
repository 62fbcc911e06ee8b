using EvidenceChain.Ledger;
using LiteDB;

namespace EvidenceChain.Storage;

/// <summary>
/// The look-up index in one LiteDB file: collection <c>entries</c> ({_id: index, l: leaf hash, d: [digests]})
/// with indexes on the leaf hash and on each digest, and <c>meta</c> holding how far it has indexed.
/// Everything here is derived from the ledger files and can be rebuilt (<c>evidencectl reindex</c>).
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
    private readonly ILiteCollection<BsonDocument> _entries;
    private readonly ILiteCollection<BsonDocument> _meta;
    private long _indexedSize;

    /// <summary>Opens or creates the index file at <paramref name="path"/>.</summary>
    public LiteDbEntryIndex(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        _entries = _db.GetCollection("entries");
        _meta = _db.GetCollection("meta");
        _entries.EnsureIndex("l", "$.l", unique: true);
        _entries.EnsureIndex("d", "$.d[*]", unique: false);
        _indexedSize = _meta.FindById(SizeKey)?["v"].AsInt64 ?? 0;
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
        var docs = new List<BsonDocument>(entries.Count);
        foreach (var e in entries)
        {
            if (e.Index != next)
            {
                throw new ArgumentException($"Expected entry {next} next; got {e.Index}.", nameof(entries));
            }

            docs.Add(new BsonDocument
            {
                ["_id"] = checked((long)e.Index),
                ["l"] = new BsonValue(e.LeafHash.ToArray()),
                ["d"] = new BsonArray(e.Digests.Distinct().Select(d => new BsonValue(d.ToArray()))),
            });
            next++;
        }

        _db.BeginTrans();
        try
        {
            _entries.InsertBulk(docs, docs.Count);
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
        _entries.DeleteAll();
        _meta.Delete(SizeKey);
        _db.Commit();
        Interlocked.Exchange(ref _indexedSize, 0);
    }

    /// <inheritdoc/>
    public ulong? FindByLeafHash(Hash leafHash)
    {
        var doc = _entries.FindOne(Query.EQ("l", new BsonValue(leafHash.ToArray())));
        return doc is null ? null : (ulong)doc["_id"].AsInt64;
    }

    /// <inheritdoc/>
    public IReadOnlyList<ulong> FindByDigest(Hash digest, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return [.. _entries.Find(BsonExpression.Create("d[*] ANY = @0", new BsonValue(digest.ToArray())))
            .Select(d => (ulong)d["_id"].AsInt64)
            .Order()
            .Take(limit)];
    }

    /// <summary>Every entry in the index, ascending, for audits.</summary>
    public IEnumerable<IndexedEntry> All() =>
        _entries.FindAll().Select(d => new IndexedEntry(
            (ulong)d["_id"].AsInt64,
            new Hash(d["l"].AsBinary),
            [.. d["d"].AsArray.Select(v => new Hash(v.AsBinary))]));

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
        _db.Checkpoint();
        _db.Dispose();
    }
}
