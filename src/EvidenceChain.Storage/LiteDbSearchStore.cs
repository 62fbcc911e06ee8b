using System.Globalization;
using EvidenceChain.Core;
using EvidenceChain.Ledger.Search;
using EvidenceChain.Storage.Internal;
using LiteDB;

namespace EvidenceChain.Storage;

/// <summary>
/// The search store in its own LiteDB file <c>search.db</c> in the data folder (0600, like the rest): collection
/// <c>entries</c>, one document per evidence entry (<c>_id</c> = entry index; the fields of a <see cref="SearchRecord"/>,
/// its committed fields in clear), and collection <c>meta</c> (the watermark and the leaf hash below it). Everything
/// in it is derived from the ledger and the openings, so it can be deleted at any time: the node rebuilds it when it
/// next starts.
/// </summary>
/// <remarks>
/// <para>
/// A search filters on an in-memory column index of what the filters read (index, submitter, kind, time, and title,
/// file name and URL in lower case: about 150 bytes an entry), loaded from the file when it opens and appended to with
/// every write, walking it from the page cursor down; it then reads only the page's documents by <c>_id</c>. So a page
/// costs a scan of at most the entries above the cursor in memory (a text query nothing matches scans them all, a few
/// milliseconds for 100,000) plus one LiteDB look-up per result; a digest search starts from the ledger's digest index.
/// LiteDB's own range queries read and deserialize every candidate document (about 4 KB of allocation each), which
/// made a submitter's page or a text query take 150 to 400 ms at 100,000 entries (bench/README.md).
/// </para>
/// <para>
/// Thread-safe: one writer (the follower) and any number of searches. LiteDB 5 does not fsync its log; a store that
/// lost its last writes is behind, and the follower catches up. Hold the <see cref="DataFolder"/> lock: one process
/// per file.
/// </para>
/// </remarks>
public sealed class LiteDbSearchStore : ISearchStore, IDisposable
{
    /// <summary>The file's name in the data folder.</summary>
    public const string FileName = "search.db";

    private const string WatermarkId = "watermark";
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _entries;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly Lock _writeLock = new();
    private readonly ReaderWriterLockSlim _columnsLock = new();
    private readonly Columns _columns = new();

    /// <summary>Opens or creates <see cref="FileName"/> in <paramref name="folder"/>.</summary>
    public LiteDbSearchStore(DataFolder folder)
        : this(Path.Combine((folder ?? throw new ArgumentNullException(nameof(folder))).Path, FileName))
    {
    }

    /// <summary>Opens or creates the store file at <paramref name="path"/> (benchmarks and tests).</summary>
    internal LiteDbSearchStore(string path)
    {
        OwnerOnly.PreCreateLiteDb(path); // LiteDB would create it 0644
        // Ordinal collation: the sk ranges rely on byte order ("|" below "}"), not on a culture's.
        _db = new LiteDatabase(new ConnectionString
        {
            Filename = path, Connection = ConnectionType.Direct, Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
        });
        try
        {
            _entries = _db.GetCollection("entries");
            _meta = _db.GetCollection("meta");
            foreach (var entry in _entries.Query().OrderBy("_id").ToEnumerable())
            {
                _columns.Add(entry);
            }

            if (_meta.FindById(WatermarkId) is { } doc)
            {
                Watermark = (ulong)doc["value"].AsInt64;
                LastLeafHash = doc["leaf"].IsBinary ? new Hash(doc["leaf"].AsBinary) : null;
            }
        }
        catch
        {
            LiteDbQuirks.Abandon(_db);
            throw;
        }
    }

    /// <summary>
    /// Opens <see cref="FileName"/> in <paramref name="folder"/>; a file that does not open as a search store (damaged,
    /// or not LiteDB) is deleted and created afresh, since everything in it is derived, and <paramref name="damaged"/> is
    /// told why.
    /// </summary>
    public static LiteDbSearchStore OpenOrRecreate(DataFolder folder, Action<string> damaged)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(damaged);
        try
        {
            return new LiteDbSearchStore(folder);
        }
        catch (Exception e) when (e is LiteException or InvalidDataException or InvalidCastException or FormatException or ArgumentException)
        {
            damaged(e.Message);
            File.Delete(Path.Combine(folder.Path, FileName));
            return new LiteDbSearchStore(folder);
        }
    }

    /// <inheritdoc/>
    public ulong Watermark { get; private set; }

    /// <inheritdoc/>
    public Hash? LastLeafHash { get; private set; }

    /// <inheritdoc/>
    public void Add(IReadOnlyList<SearchRecord> records, ulong watermark, Hash lastLeafHash)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_writeLock)
        {
            _db.BeginTrans();
            try
            {
                foreach (var r in records)
                {
                    _entries.Upsert(ToDocument(r));
                }

                _meta.Upsert(new BsonDocument
                {
                    ["_id"] = WatermarkId, ["value"] = checked((long)watermark), ["leaf"] = lastLeafHash.ToArray(),
                });
                _db.Commit();
            }
            catch
            {
                _db.Rollback();
                throw;
            }

            _columnsLock.EnterWriteLock();
            try
            {
                foreach (var r in records)
                {
                    _columns.Add(checked((long)r.Index), r.Submitter, r.Kind, r.Time.UtcTicks, Text(r));
                }
            }
            finally
            {
                _columnsLock.ExitWriteLock();
            }

            Watermark = watermark;
            LastLeafHash = lastLeafHash;
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        lock (_writeLock)
        {
            _entries.DeleteAll();
            _meta.DeleteAll();
            _columnsLock.EnterWriteLock();
            try
            {
                _columns.Clear();
            }
            finally
            {
                _columnsLock.ExitWriteLock();
            }

            _db.Checkpoint();
            Watermark = 0;
            LastLeafHash = null;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<SearchRecord> Search(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        var text = string.IsNullOrEmpty(query.Text) ? null : query.Text.ToLowerInvariant();
        long? from = query.From?.UtcTicks, to = query.To?.UtcTicks;
        var matches = new List<long>(Math.Min(query.Limit, 1024));
        _columnsLock.EnterReadLock();
        try
        {
            var c = _columns;
            bool Matches(int row) =>
                (query.Submitter is null || c.Submitters[row] == query.Submitter)
                && (query.Kind is null || c.Kinds[row] == query.Kind)
                && (from is null || c.Ticks[row] >= from)
                && (to is null || c.Ticks[row] < to)
                && (text is null || c.Texts[row].Contains(text, StringComparison.Ordinal));

            if (query.Only is { } only)
            {
                foreach (var index in only.Where(i => i < query.Before).OrderDescending())
                {
                    if (c.RowOf(checked((long)index)) is { } row && Matches(row))
                    {
                        matches.Add(c.Indices[row]);
                        if (matches.Count == query.Limit)
                        {
                            break;
                        }
                    }
                }
            }
            else
            {
                for (var row = c.RowBelow(query.Before == ulong.MaxValue ? long.MaxValue : checked((long)query.Before)); row >= 0; row--)
                {
                    if (Matches(row))
                    {
                        matches.Add(c.Indices[row]);
                        if (matches.Count == query.Limit)
                        {
                            break;
                        }
                    }
                }
            }
        }
        finally
        {
            _columnsLock.ExitReadLock();
        }

        var results = new List<SearchRecord>(matches.Count);
        foreach (var index in matches)
        {
            if (_entries.FindById(index) is { } doc)
            {
                results.Add(FromDocument(doc));
            }
        }

        return results;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _db.Dispose();
        _columnsLock.Dispose();
    }

    private static string Text(SearchRecord r) => string.Join('\n', r.Title, r.FileName, r.Url).ToLowerInvariant();

    private static DateTimeOffset Time(BsonDocument doc) => new(doc["t"].AsInt64, TimeSpan.Zero);

    private static BsonDocument ToDocument(SearchRecord r) => new()
    {
        ["_id"] = checked((long)r.Index),
        ["h"] = r.LeafHash.ToArray(),
        ["k"] = r.Kind,
        ["t"] = r.Time.UtcTicks,
        ["s"] = r.Submitter,
        ["ti"] = r.Title,
        ["fn"] = r.FileName,
        ["u"] = r.Url,
        ["z"] = r.Size,
        ["m"] = r.MediaType,
        ["d"] = r.Sha256.ToArray(),
        ["d3"] = r.Sm3 is { } sm3 ? sm3.ToArray() : BsonValue.Null,
        ["sh"] = r.HasScreenshot,
        ["cs"] = r.CaptureStatus,
    };

    private static SearchRecord FromDocument(BsonDocument d) => new(
        (ulong)d["_id"].AsInt64,
        new Hash(d["h"].AsBinary),
        d["k"].AsString,
        Time(d),
        d["s"].AsString,
        d["ti"].AsString,
        d["fn"].AsString,
        d["u"].AsString,
        d["z"].AsInt64,
        d["m"].AsString,
        new Hash(d["d"].AsBinary),
        d["d3"].IsBinary ? new Hash(d["d3"].AsBinary) : null,
        d["sh"].AsBoolean,
        d["cs"].AsString);

    /// <summary>The filter columns, in ascending entry index. Not thread-safe: the store locks around it.</summary>
    private sealed class Columns
    {
        private readonly Dictionary<string, string> _interned = new(StringComparer.Ordinal);

        public List<long> Indices { get; } = [];

        public List<string> Submitters { get; } = [];

        public List<string> Kinds { get; } = [];

        public List<long> Ticks { get; } = [];

        public List<string> Texts { get; } = [];

        public void Add(BsonDocument doc) =>
            Add(doc["_id"].AsInt64, doc["s"].AsString, doc["k"].AsString, doc["t"].AsInt64,
                string.Join('\n', doc["ti"].AsString, doc["fn"].AsString, doc["u"].AsString).ToLowerInvariant());

        public void Add(long index, string submitter, string kind, long ticks, string text)
        {
            if (Indices.Count > 0 && index <= Indices[^1])
            {
                // An entry again (a batch rewritten after a crash): the document was replaced; keep the columns in order.
                var row = RowOf(index);
                if (row is { } existing)
                {
                    (Submitters[existing], Kinds[existing], Ticks[existing], Texts[existing]) = (Intern(submitter), Intern(kind), ticks, text);
                    return;
                }

                throw new InvalidOperationException($"Search entry {index} arrived out of order (after {Indices[^1]}).");
            }

            Indices.Add(index);
            Submitters.Add(Intern(submitter));
            Kinds.Add(Intern(kind));
            Ticks.Add(ticks);
            Texts.Add(text);
        }

        public void Clear()
        {
            Indices.Clear();
            Submitters.Clear();
            Kinds.Clear();
            Ticks.Clear();
            Texts.Clear();
        }

        /// <summary>The row of entry <paramref name="index"/>, or null.</summary>
        public int? RowOf(long index)
        {
            var row = Indices.BinarySearch(index);
            return row >= 0 ? row : null;
        }

        /// <summary>The last row whose entry index is below <paramref name="before"/>; -1 for none.</summary>
        public int RowBelow(long before)
        {
            var row = Indices.BinarySearch(before);
            return (row >= 0 ? row : ~row) - 1;
        }

        private string Intern(string value)
        {
            if (!_interned.TryGetValue(value, out var interned))
            {
                _interned[value] = interned = value;
            }

            return interned;
        }
    }
}
