using EvidenceChain.Ledger.Cases;
using EvidenceChain.Storage.Internal;
using LiteDB;

namespace EvidenceChain.Storage;

/// <summary>
/// The cases' copy of the ledger's case events, in its own LiteDB file <c>cases.db</c> in the data folder: collection
/// <c>events</c> (<c>_id</c> = entry index, <c>leaf</c> = the leaf bytes) and collection <c>meta</c> (the watermark).
/// Everything in it is derived from the ledger, so, unlike <c>node.db</c> (API keys, which nothing can rebuild), it can
/// be deleted at any time: the node rebuilds it from the ledger's case events when it next starts. Each write is
/// checkpointed into the data file before it returns (LiteDB 5 does not fsync its log).
/// </summary>
/// <remarks>Thread-safe. Hold the <see cref="DataFolder"/> lock: one process per file.</remarks>
public sealed class LiteDbCaseStore : ICaseStore, IDisposable
{
    /// <summary>The file's name in the data folder.</summary>
    public const string FileName = "cases.db";

    private const string WatermarkId = "watermark";
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _events;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly Lock _writeLock = new();

    /// <summary>Opens or creates <see cref="FileName"/> in <paramref name="folder"/>.</summary>
    public LiteDbCaseStore(DataFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        OwnerOnly.PreCreateLiteDb(Path.Combine(folder.Path, FileName)); // LiteDB would create it 0644
        _db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(folder.Path, FileName), Connection = ConnectionType.Direct });
        try
        {
            _events = _db.GetCollection("events");
            _meta = _db.GetCollection("meta");
            Watermark = _meta.FindById(WatermarkId) is { } doc ? (ulong)doc["value"].AsInt64 : 0;
        }
        catch
        {
            Internal.LiteDbQuirks.Abandon(_db);
            throw;
        }
    }

    /// <inheritdoc/>
    public ulong Watermark { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<StoredCaseEvent> Load()
    {
        lock (_writeLock)
        {
            return [.. _events.FindAll()
                .Select(d => new StoredCaseEvent((ulong)d["_id"].AsInt64, d["leaf"].AsBinary))
                .OrderBy(e => e.Index)];
        }
    }

    /// <inheritdoc/>
    public void Add(StoredCaseEvent caseEvent, ulong watermark)
    {
        ArgumentNullException.ThrowIfNull(caseEvent);
        lock (_writeLock)
        {
            _db.BeginTrans();
            try
            {
                _events.Upsert(new BsonDocument { ["_id"] = checked((long)caseEvent.Index), ["leaf"] = caseEvent.Leaf.ToArray() });
                WriteWatermark(watermark);
                _db.Commit();
            }
            catch
            {
                _db.Rollback();
                throw;
            }

            _db.Checkpoint();
            Watermark = watermark;
        }
    }

    /// <inheritdoc/>
    public void SetWatermark(ulong watermark)
    {
        lock (_writeLock)
        {
            WriteWatermark(watermark);
            _db.Checkpoint();
            Watermark = watermark;
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        lock (_writeLock)
        {
            _events.DeleteAll();
            _meta.DeleteAll();
            _db.Checkpoint();
            Watermark = 0;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _db.Dispose();

    private void WriteWatermark(ulong watermark) =>
        _meta.Upsert(new BsonDocument { ["_id"] = WatermarkId, ["value"] = checked((long)watermark) });
}
