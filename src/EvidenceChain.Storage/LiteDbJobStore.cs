using System.Globalization;
using EvidenceChain.Ledger.Jobs;
using EvidenceChain.Storage.Internal;
using LiteDB;

namespace EvidenceChain.Storage;

/// <summary>
/// Capture jobs and watches in their own LiteDB file <c>jobs.db</c> in the data folder: collections <c>jobs</c> and
/// <c>items</c> (<c>_id</c> = job id, '/', position in 6 digits), <c>watches</c> and <c>events</c> (<c>_id</c> = watch
/// id, '/', slot in 12 digits). This is the node's own state (what was asked and how far it got), not derived from the
/// ledger; the entries themselves are in the ledger. Each write is checkpointed into the data file before it returns
/// (LiteDB 5 does not fsync its log).
/// </summary>
/// <remarks>Thread-safe. Hold the <see cref="DataFolder"/> lock: one process per file.</remarks>
public sealed class LiteDbJobStore : ICaptureJobStore, IWatchStore, IDisposable
{
    /// <summary>The file's name in the data folder.</summary>
    public const string FileName = "jobs.db";

    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _jobs;
    private readonly ILiteCollection<BsonDocument> _items;
    private readonly ILiteCollection<BsonDocument> _watches;
    private readonly ILiteCollection<BsonDocument> _events;
    private readonly Lock _lock = new();

    /// <summary>Opens or creates <see cref="FileName"/> in <paramref name="folder"/>.</summary>
    public LiteDbJobStore(DataFolder folder)
        : this((folder ?? throw new ArgumentNullException(nameof(folder))).Path)
    {
    }

    /// <summary>
    /// Opens or creates <see cref="FileName"/> in the folder <paramref name="folderPath"/> (the node's data folder, for
    /// every storage driver until the drivers carry the jobs).
    /// </summary>
    public LiteDbJobStore(string folderPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(folderPath);
        OwnerOnly.PreCreateLiteDb(Path.Combine(folderPath, FileName)); // LiteDB would create it 0644
        _db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(folderPath, FileName), Connection = ConnectionType.Direct });
        try
        {
            _jobs = _db.GetCollection("jobs");
            _items = _db.GetCollection("items");
            _watches = _db.GetCollection("watches");
            _events = _db.GetCollection("events");
            _items.EnsureIndex("state");
        }
        catch
        {
            LiteDbQuirks.Abandon(_db);
            throw;
        }
    }

    /// <inheritdoc/>
    public void CreateJob(CaptureJob job, IReadOnlyList<string> urls)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(urls);
        Write(() =>
        {
            _jobs.Insert(new BsonDocument
            {
                ["_id"] = job.Id,
                ["submitter"] = job.Submitter,
                ["case"] = job.CaseId,
                ["created"] = job.Created.ToUnixTimeMilliseconds(),
                ["count"] = job.UrlCount,
                ["noBrowser"] = job.NoBrowser,
            });
            _items.InsertBulk(urls.Select((url, i) => ToDocument(new CaptureJobItem(job.Id, i, url, CaptureItemState.Pending, null, string.Empty, 0))));
        });
    }

    /// <inheritdoc/>
    public CaptureJob? FindJob(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_lock)
        {
            return _jobs.FindById(id) is { } d ? ToJob(d) : null;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<CaptureJob> Jobs()
    {
        lock (_lock)
        {
            return [.. _jobs.FindAll().Select(ToJob).OrderBy(j => j.Created).ThenBy(j => j.Id, StringComparer.Ordinal)];
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<CaptureJobItem> Items(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        lock (_lock)
        {
            return [.. _items.Find(Query.StartsWith("_id", jobId + "/")).Select(ToItem).OrderBy(i => i.Position)];
        }
    }

    /// <inheritdoc/>
    public void UpdateItem(CaptureJobItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Write(() => _items.Upsert(ToDocument(item)));
    }

    /// <inheritdoc/>
    public IReadOnlyList<CaptureJobItem> UnfinishedItems()
    {
        lock (_lock)
        {
            var created = _jobs.FindAll().ToDictionary(d => d["_id"].AsString, d => d["created"].AsInt64, StringComparer.Ordinal);
            return [.. _items.Find(Query.Or(Query.EQ("state", nameof(CaptureItemState.Pending)), Query.EQ("state", nameof(CaptureItemState.Running))))
                .Select(ToItem)
                .OrderBy(i => created.GetValueOrDefault(i.JobId))
                .ThenBy(i => i.JobId, StringComparer.Ordinal)
                .ThenBy(i => i.Position)];
        }
    }

    /// <inheritdoc/>
    public void PutWatch(Watch watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        var d = new BsonDocument
        {
            ["_id"] = watch.Id,
            ["url"] = watch.Url,
            ["submitter"] = watch.Submitter,
            ["case"] = watch.CaseId,
            ["every"] = watch.Every.Ticks,
            ["start"] = watch.Start.ToUnixTimeMilliseconds(),
            ["until"] = watch.Until.ToUnixTimeMilliseconds(),
            ["noBrowser"] = watch.NoBrowser,
            ["state"] = watch.State.ToString(),
            ["ended"] = watch.Ended is { } ended ? new BsonValue(ended.ToUnixTimeMilliseconds()) : BsonValue.Null,
            ["endReason"] = watch.EndReason,
            ["summary"] = watch.SummaryIndex is { } s ? new BsonValue(checked((long)s)) : BsonValue.Null,
        };
        Write(() => _watches.Upsert(d));
    }

    /// <inheritdoc/>
    public Watch? FindWatch(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_lock)
        {
            return _watches.FindById(id) is { } d ? ToWatch(d) : null;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<Watch> Watches()
    {
        lock (_lock)
        {
            return [.. _watches.FindAll().Select(ToWatch).OrderBy(w => w.Start).ThenBy(w => w.Id, StringComparer.Ordinal)];
        }
    }

    /// <inheritdoc/>
    public void PutEvent(WatchEvent watchEvent)
    {
        ArgumentNullException.ThrowIfNull(watchEvent);
        var d = new BsonDocument
        {
            ["_id"] = EventId(watchEvent.WatchId, watchEvent.Slot),
            ["watch"] = watchEvent.WatchId,
            ["slot"] = watchEvent.Slot,
            ["time"] = watchEvent.SlotTime.ToUnixTimeMilliseconds(),
            ["kind"] = watchEvent.Kind.ToString(),
            ["entry"] = watchEvent.EntryIndex is { } e ? new BsonValue(checked((long)e)) : BsonValue.Null,
            ["http"] = watchEvent.HttpStatus,
            ["sha256"] = watchEvent.PayloadSha256,
            ["reason"] = watchEvent.Reason,
            ["started"] = checked((long)watchEvent.StartedAtSize),
        };
        Write(() => _events.Upsert(d));
    }

    /// <inheritdoc/>
    public IReadOnlyList<WatchEvent> Events(string watchId)
    {
        ArgumentNullException.ThrowIfNull(watchId);
        lock (_lock)
        {
            return [.. _events.Find(Query.StartsWith("_id", watchId + "/")).Select(ToEvent).OrderBy(e => e.Slot)];
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _db.Dispose();
        }
    }

    private void Write(Action write)
    {
        lock (_lock)
        {
            _db.BeginTrans();
            try
            {
                write();
                _db.Commit();
            }
            catch
            {
                _db.Rollback();
                throw;
            }

            _db.Checkpoint();
        }
    }

    private static string ItemId(string jobId, int position) => jobId + "/" + position.ToString("D6", CultureInfo.InvariantCulture);

    private static string EventId(string watchId, long slot) => watchId + "/" + slot.ToString("D12", CultureInfo.InvariantCulture);

    private static BsonDocument ToDocument(CaptureJobItem item) => new()
    {
        ["_id"] = ItemId(item.JobId, item.Position),
        ["job"] = item.JobId,
        ["pos"] = item.Position,
        ["url"] = item.Url,
        ["state"] = item.State.ToString(),
        ["entry"] = item.EntryIndex is { } e ? new BsonValue(checked((long)e)) : BsonValue.Null,
        ["reason"] = item.Reason,
        ["started"] = checked((long)item.StartedAtSize),
    };

    private static CaptureJob ToJob(BsonDocument d) => new(
        d["_id"].AsString, d["submitter"].AsString, d["case"].AsString, DateTimeOffset.FromUnixTimeMilliseconds(d["created"].AsInt64), d["count"].AsInt32, d["noBrowser"].AsBoolean);

    private static CaptureJobItem ToItem(BsonDocument d) => new(
        d["job"].AsString, d["pos"].AsInt32, d["url"].AsString, Enum.Parse<CaptureItemState>(d["state"].AsString),
        d["entry"].IsNull ? null : (ulong)d["entry"].AsInt64, d["reason"].AsString, (ulong)d["started"].AsInt64);

    private static Watch ToWatch(BsonDocument d) => new(
        d["_id"].AsString, d["url"].AsString, d["submitter"].AsString, d["case"].AsString, TimeSpan.FromTicks(d["every"].AsInt64),
        DateTimeOffset.FromUnixTimeMilliseconds(d["start"].AsInt64), DateTimeOffset.FromUnixTimeMilliseconds(d["until"].AsInt64), d["noBrowser"].AsBoolean)
    {
        State = Enum.Parse<WatchState>(d["state"].AsString),
        Ended = d["ended"].IsNull ? null : DateTimeOffset.FromUnixTimeMilliseconds(d["ended"].AsInt64),
        EndReason = d["endReason"].AsString,
        SummaryIndex = d["summary"].IsNull ? null : (ulong)d["summary"].AsInt64,
    };

    private static WatchEvent ToEvent(BsonDocument d) => new(
        d["watch"].AsString, d["slot"].AsInt64, DateTimeOffset.FromUnixTimeMilliseconds(d["time"].AsInt64), Enum.Parse<WatchEventKind>(d["kind"].AsString),
        d["entry"].IsNull ? null : (ulong)d["entry"].AsInt64, d["http"].AsInt32, d["sha256"].AsString, d["reason"].AsString, (ulong)d["started"].AsInt64);
}
