using System.Buffers.Binary;
using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Internal;
using LiteDB;

namespace EvidenceChain.Storage;

/// <summary>
/// The look-up index (leaf hash → entry, artefact digest → entries) in one LiteDB file, kept as sorted runs: each
/// <see cref="Add"/> writes the entries it is given as one run — its (leaf hash, index) and (digest, index) records
/// sorted and cut into blocks of <see cref="BlockRecords"/> — and neighbouring runs of one size class are merged four
/// at a time, so a look-up reads about one block in each of a few runs. Everything is derived from the ledger files and can be
/// rebuilt (<c>evidencectl reindex</c>).
/// </summary>
/// <remarks>
/// <para>
/// Why runs and not one LiteDB document per digest: hash keys are random, so inserting them one by one into LiteDB's
/// index touched a different 8 KiB page for nearly every key once the index outgrew memory; at 10,000 entries a
/// second that was ~130 µs of CPU and ~16 KiB of page writes per entry, more than the rest of the node together.
/// A run is written sequentially (block ids only grow) and each record is rewritten once per merge level.
/// </para>
/// <para>
/// Collections: <c>blocks</c> {_id: block number, b: up to 128 records of hash (32 bytes) and entry index (8 bytes,
/// big-endian), sorted}; <c>runs</c> {_id: first entry, end, and per section (leaves, digests) the first block,
/// record count and each block's first 8 key bytes}; <c>meta</c> {nextBlock}. The runs must cover 0, 1, 2, …
/// without a gap; the index covers the entries up to the first gap.
/// </para>
/// <para>
/// Thread-safe: one writer at a time (the ledger's flusher) and any number of readers; a look-up that raced a merge
/// waits for it and reads the merged run. LiteDB 5 does not fsync its commits, so after a power loss the index may lag the
/// ledger; <see cref="EvidenceLedger"/> catches up on open. The file must only be opened by one process: hold the
/// <see cref="DataFolder"/> lock.
/// </para>
/// </remarks>
public sealed class LiteDbEntryIndex : IEntryIndex, IDisposable
{
    /// <summary>Records per block.</summary>
    internal const int BlockRecords = 128;

    private const int RecordSize = Hash.Size + 8;
    private const int MergeFan = 4;
    private const long MaxMergedEntries = 4L << 20; // bounds how long one merge holds up the flusher
    private const long CachedEntries = 64 * 1024; // runs smaller than this keep their records in memory too
    private const string NextBlockKey = "nextBlock";
    private const long DefaultReopenAfter = 256 * 1024;
    private readonly string _path;
    private readonly bool _readOnly;
    private readonly long _reopenAfter;
    private readonly ReaderWriterLockSlim _open = new(); // look-ups read; reopening the file writes
    private LiteDatabase _db;
    private ILiteCollection<BsonDocument> _runs;
    private ILiteCollection<BsonDocument> _blocks;
    private ILiteCollection<BsonDocument> _meta;
    private long _indexedSinceOpen;
    private readonly Lock _writer = new();
    private Run[] _chain; // replaced, never changed: readers take a snapshot
    private long _nextBlock;
    private bool _abandoned;

    /// <summary>Opens or creates the index file at <paramref name="path"/>; <paramref name="readOnly"/> for audits.</summary>
    /// <exception cref="LiteException">The file is not a readable LiteDB index.</exception>
    internal LiteDbEntryIndex(string path, bool readOnly = false)
        : this(path, readOnly, DefaultReopenAfter)
    {
    }

    /// <summary>As the public constructor; the writer reopens the file after every <paramref name="reopenAfter"/> entries indexed.</summary>
    internal LiteDbEntryIndex(string path, bool readOnly, long reopenAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = path;
        _readOnly = readOnly;
        _reopenAfter = reopenAfter;
        (_db, _runs, _blocks, _meta) = OpenFile(path, readOnly);
        try
        {
            _chain = [];
            if (_db.CollectionExists("leaves"))
            {
                // The layout before runs (one document per key): derived data, so start again and let the ledger
                // index everything on open. A reader (the audit) sees an index that covers nothing yet.
                if (!readOnly)
                {
                    _db.DropCollection("leaves");
                    _db.DropCollection("digests");
                    _meta.DeleteAll();
                }

                return;
            }

            _nextBlock = _meta.FindById(NextBlockKey)?["v"].AsInt64 ?? 0;
            _chain = LoadChain();
            if (!readOnly)
            {
                lock (_writer)
                {
                    Merge(); // what a crash or an older policy left unmerged
                }
            }
        }
        catch
        {
            _open.Dispose();
            Internal.LiteDbQuirks.Abandon(_db);
            throw;
        }
    }

    /// <inheritdoc/>
    public ulong IndexedSize => Volatile.Read(ref _chain) is { Length: > 0 } chain ? (ulong)chain[^1].End : 0;

    /// <summary>The number of runs the index is made of (for tests and diagnostics).</summary>
    internal int RunCount => Volatile.Read(ref _chain).Length;

    /// <inheritdoc/>
    public void Add(IReadOnlyList<IndexedEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        lock (_writer)
        {
            var first = (long)IndexedSize;
            var leaves = new List<(Hash, ulong)>(entries.Count);
            var digests = new List<(Hash, ulong)>(entries.Count * 2);
            var next = entries[0].Index;
            if (next > (ulong)first)
            {
                throw new ArgumentException($"Expected entry {first} next; got {next}.", nameof(entries));
            }

            foreach (var e in entries)
            {
                if (e.Index != next)
                {
                    throw new ArgumentException($"Expected entry {next} next; got {e.Index}.", nameof(entries));
                }

                if (e.Index < (ulong)first)
                {
                    next++;
                    continue; // indexed already
                }

                leaves.Add((e.LeafHash, e.Index));
                foreach (var d in e.Digests.Distinct())
                {
                    digests.Add((d, e.Index));
                }

                next++;
            }

            if (leaves.Count == 0)
            {
                return;
            }

            leaves.Sort(CompareRecords);
            digests.Sort(CompareRecords);
            var run = WriteRun(first, (long)next, [leaves], [digests], replaces: []);
            Volatile.Write(ref _chain, [.. _chain, run]);
            Merge();
            _indexedSinceOpen += leaves.Count;
            if (_indexedSinceOpen >= _reopenAfter)
            {
                Reopen();
            }
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        lock (_writer)
        {
            _db.BeginTrans();
            _runs.DeleteAll();
            _blocks.DeleteAll();
            _meta.DeleteAll();
            _db.Commit();
            _nextBlock = 0;
            Volatile.Write(ref _chain, []);
        }
    }

    /// <inheritdoc/>
    public ulong? FindByLeafHash(Hash leafHash)
    {
        var found = Search(leafHash, limit: 1, r => r.Leaves);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public IReadOnlyList<ulong> FindByDigest(Hash digest, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return Search(digest, limit, r => r.Digests);
    }

    /// <summary>Every indexed entry with its leaf hash and digests, in order (for audits); reads the whole index.</summary>
    /// <exception cref="InvalidDataException">The index is inconsistent.</exception>
    internal IReadOnlyList<IndexedEntry> All()
    {
        _open.EnterReadLock();
        try
        {
            return AllEntries();
        }
        finally
        {
            _open.ExitReadLock();
        }
    }

    private IndexedEntry[] AllEntries()
    {
        var chain = Volatile.Read(ref _chain);
        var size = checked((int)IndexedSize);
        var leafHashes = new Hash?[size];
        var digests = new List<Hash>[size];
        foreach (var run in chain)
        {
            CheckSection(run, run.Leaves, "leaf hashes");
            CheckSection(run, run.Digests, "digests");
            foreach (var (hash, index) in Records(run.Leaves))
            {
                if (index < (ulong)run.First || index >= (ulong)run.End || leafHashes[index] is not null)
                {
                    throw new InvalidDataException($"runs: the run from entry {run.First} lists entry {index}, outside it or twice");
                }

                leafHashes[index] = hash;
            }

            foreach (var (hash, index) in Records(run.Digests))
            {
                if (index < (ulong)run.First || index >= (ulong)run.End)
                {
                    throw new InvalidDataException($"runs: the run from entry {run.First} lists a digest of entry {index}, outside it");
                }

                (digests[index] ??= []).Add(hash);
            }
        }

        var all = new IndexedEntry[size];
        for (var i = 0; i < size; i++)
        {
            all[i] = new IndexedEntry(
                (ulong)i,
                leafHashes[i] ?? throw new InvalidDataException($"runs: entry {i} has no leaf hash"),
                digests[i] ?? []);
        }

        return all;
    }

    /// <summary>
    /// Gives up on an index whose file turned out damaged (a query threw): releases it without running LiteDB's
    /// clean-up, which would fail on the same damage. The object is unusable afterwards.
    /// </summary>
    internal void Abandon()
    {
        _abandoned = true;
        _open.Dispose();
        Internal.LiteDbQuirks.Abandon(_db);
    }

    /// <summary>Deletes the index file at <paramref name="path"/> and LiteDB's log beside it.</summary>
    internal static void Delete(string path)
    {
        File.Delete(path);
        File.Delete(Path.Combine(
            Path.GetDirectoryName(path) ?? ".", Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path)));
    }

    /// <summary>Writes LiteDB's log into its data file, so the index survives a power loss.</summary>
    internal void Checkpoint() => _db.Checkpoint();

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
            _open.Dispose();
        }
    }

    private static (LiteDatabase, ILiteCollection<BsonDocument>, ILiteCollection<BsonDocument>, ILiteCollection<BsonDocument>) OpenFile(string path, bool readOnly)
    {
        if (!readOnly)
        {
            OwnerOnly.PreCreateLiteDb(path); // LiteDB would create it 0644
        }

        var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, ReadOnly = readOnly });
        return (db, db.GetCollection("runs"), db.GetCollection("blocks"), db.GetCollection("meta"));
    }

    // LiteDB 5.0.21 keeps every page it has read or written in a cache that never shrinks (LiteDB issue #2813): closing
    // and opening the file is the only way to give that memory back. Look-ups wait for the few milliseconds it takes.
    private void Reopen()
    {
        _open.EnterWriteLock();
        try
        {
            _db.Checkpoint();
            _db.Dispose();
            (_db, _runs, _blocks, _meta) = OpenFile(_path, _readOnly);
        }
        finally
        {
            _open.ExitWriteLock();
        }

        _indexedSinceOpen = 0;
    }

    // What look-ups rely on: records in order, as many as the run says, each block's fence its first key's prefix.
    private void CheckSection(Run run, Section section, string what)
    {
        var count = 0;
        (Hash Hash, ulong Index)? previous = null;
        foreach (var record in Records(section))
        {
            if (previous is { } p && CompareRecords(p, record) >= 0)
            {
                throw new InvalidDataException($"runs: the {what} of the run from entry {run.First} are out of order at record {count}");
            }

            if (count % BlockRecords == 0 && section.Fences[count / BlockRecords] != Prefix(record.Hash))
            {
                throw new InvalidDataException($"runs: the {what} of the run from entry {run.First}: block {count / BlockRecords} does not start where its fence says");
            }

            previous = record;
            count++;
        }

        if (count != section.Records)
        {
            throw new InvalidDataException($"runs: the run from entry {run.First} has {count} {what}; it says {section.Records}");
        }
    }

    private static int CompareRecords((Hash Hash, ulong Index) a, (Hash Hash, ulong Index) b)
    {
        var byHash = a.Hash.CompareTo(b.Hash);
        return byHash != 0 ? byHash : a.Index.CompareTo(b.Index);
    }

    private static ulong Prefix(Hash hash)
    {
        Span<byte> bytes = stackalloc byte[Hash.Size];
        hash.CopyTo(bytes);
        return BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    // The runs from entry 0 without a gap. A writer drops whatever lies beyond the first gap (only damage makes one),
    // so that the entries there can be indexed again.
    private Run[] LoadChain()
    {
        var byFirst = _runs.FindAll().Select(ReadRun).ToDictionary(r => r.First);
        var chain = new List<Run>();
        for (long at = 0; byFirst.Remove(at, out var run); at = run.End)
        {
            chain.Add(run);
        }

        if (byFirst.Count > 0 && !_readOnly)
        {
            _db.BeginTrans();
            foreach (var stray in byFirst.Values)
            {
                DeleteRun(stray);
            }

            _db.Commit();
        }

        return [.. chain];
    }

    // Merges until no merge is due: MergeFan neighbouring runs of one size class (sizes 1-3, 4-15, 16-63, ... entries:
    // a factor of MergeFan apart), or a run followed by a run of a larger class (after a backlog was indexed in big
    // chunks behind small ones), which would otherwise never meet runs of its own class again. Merges stop at
    // MaxMergedEntries, so runs of that size stay as they are: a very large index has one run per 1–4 Mi entries.
    private void Merge()
    {
        while (NextMerge() is { } window)
        {
            var runs = _chain[window];
            var merged = WriteRun(
                runs[0].First, runs[^1].End, [.. runs.Select(r => Records(r.Leaves))], [.. runs.Select(r => Records(r.Digests))], replaces: runs);
            Volatile.Write(ref _chain, [.. _chain[..window.Start], merged, .. _chain[window.End..]]);
        }
    }

    private Range? NextMerge()
    {
        var chain = _chain;
        for (var end = chain.Length; end >= 2; end--)
        {
            if (end >= MergeFan)
            {
                var window = (end - MergeFan)..end;
                var runs = chain[window];
                if (runs.All(r => SizeClass(r) == SizeClass(runs[0])) && Size(runs) <= MaxMergedEntries)
                {
                    return window;
                }
            }

            var pair = (end - 2)..end;
            if (SizeClass(chain[end - 2]) < SizeClass(chain[end - 1]) && Size(chain[pair]) <= MaxMergedEntries)
            {
                return pair;
            }
        }

        return null;
    }

    private static long Size(Run[] runs) => runs[^1].End - runs[0].First;

    private static int SizeClass(Run run)
    {
        var sizeClass = 0;
        for (var n = (run.End - run.First) / MergeFan; n > 0; n /= MergeFan)
        {
            sizeClass++;
        }

        return sizeClass;
    }

    // Writes a run from sorted record sequences (merged as they are read) in one transaction that also deletes the
    // runs it replaces.
    private Run WriteRun(long first, long end, IEnumerable<(Hash, ulong)>[] leaves, IEnumerable<(Hash, ulong)>[] digests, Run[] replaces)
    {
        _db.BeginTrans();
        try
        {
            var cache = end - first < CachedEntries;
            var leafSection = WriteSection(MergeSorted(leaves), cache);
            var digestSection = WriteSection(MergeSorted(digests), cache);
            var run = new Run(first, end, leafSection, digestSection);
            foreach (var old in replaces)
            {
                DeleteRun(old);
            }

            _runs.Insert(new BsonDocument
            {
                ["_id"] = first,
                ["end"] = end,
                ["lb"] = leafSection.FirstBlock,
                ["ln"] = leafSection.Records,
                ["lf"] = Fences(leafSection),
                ["db"] = digestSection.FirstBlock,
                ["dn"] = digestSection.Records,
                ["df"] = Fences(digestSection),
            });
            _meta.Upsert(new BsonDocument { ["_id"] = NextBlockKey, ["v"] = _nextBlock });
            _db.Commit();
            return run;
        }
        catch
        {
            _db.Rollback();
            try
            {
                _nextBlock = _meta.FindById(NextBlockKey)?["v"].AsInt64 ?? 0;
            }
            catch (LiteException)
            {
                // The original failure is what the caller needs; the next write re-reads nothing from here.
            }

            throw;
        }
    }

    // Small runs are merged again soon: they keep their records in memory so that merging them reads nothing back
    // (a LiteDB range query costs milliseconds to compile).
    private Section WriteSection(IEnumerable<(Hash Hash, ulong Index)> records, bool cache)
    {
        var cached = cache ? new List<(Hash, ulong)>() : null;
        var firstBlock = _nextBlock;
        var fences = new List<ulong>();
        var count = 0L;
        var block = new byte[BlockRecords * RecordSize];
        var filled = 0;
        var pending = new List<BsonDocument>();
        foreach (var (hash, index) in records)
        {
            cached?.Add((hash, index));
            if (filled == 0)
            {
                fences.Add(Prefix(hash));
            }

            hash.CopyTo(block.AsSpan(filled * RecordSize));
            BinaryPrimitives.WriteUInt64BigEndian(block.AsSpan(filled * RecordSize + Hash.Size), index);
            count++;
            if (++filled == BlockRecords)
            {
                pending.Add(new BsonDocument { ["_id"] = _nextBlock++, ["b"] = block });
                block = new byte[BlockRecords * RecordSize];
                filled = 0;
                if (pending.Count == 1024)
                {
                    _blocks.InsertBulk(pending, pending.Count);
                    pending.Clear();
                }
            }
        }

        if (filled > 0)
        {
            pending.Add(new BsonDocument { ["_id"] = _nextBlock++, ["b"] = block.AsSpan(0, filled * RecordSize).ToArray() });
        }

        if (pending.Count > 0)
        {
            _blocks.InsertBulk(pending, pending.Count);
        }

        return new Section(firstBlock, checked((int)count), [.. fences]) { Cached = cached?.ToArray() };
    }

    private void DeleteRun(Run run)
    {
        foreach (var section in new[] { run.Leaves, run.Digests })
        {
            // One by id: LiteDB's DeleteMany evaluates its predicate on every document of the collection.
            for (var i = 0; i < section.Fences.Length; i++)
            {
                _blocks.Delete(section.FirstBlock + i);
            }
        }

        _runs.Delete(run.First);
    }

    private static byte[] Fences(Section section)
    {
        var bytes = new byte[section.Fences.Length * 8];
        for (var i = 0; i < section.Fences.Length; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(i * 8), section.Fences[i]);
        }

        return bytes;
    }

    private static Run ReadRun(BsonDocument doc)
    {
        static Section ReadSection(BsonDocument doc, string prefix)
        {
            var fences = doc[prefix + "f"].AsBinary ?? throw new InvalidDataException("runs: a run has no fences");
            var records = doc[prefix + "n"].AsInt32;
            if (fences.Length % 8 != 0 || fences.Length / 8 != (records + BlockRecords - 1) / BlockRecords)
            {
                throw new InvalidDataException("runs: a run's fences do not match its record count");
            }

            var values = new ulong[fences.Length / 8];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadUInt64BigEndian(fences.AsSpan(i * 8));
            }

            return new Section(doc[prefix + "b"].AsInt64, records, values);
        }

        return new Run(doc["_id"].AsInt64, doc["end"].AsInt64, ReadSection(doc, "l"), ReadSection(doc, "d"));
    }

    // Every run's matches in entry order, up to limit. A run merged away while it was being read is read again from
    // the new chain.
    private List<ulong> Search(Hash key, int limit, Func<Run, Section> section)
    {
        for (var attempt = 0; ; attempt++)
        {
            var chain = Volatile.Read(ref _chain);
            var found = new List<ulong>();
            var complete = true;
            _open.EnterReadLock();
            try
            {
                foreach (var run in chain)
                {
                    if (!SearchSection(section(run), key, limit, found, _blocks))
                    {
                        complete = false;
                        break;
                    }

                    if (found.Count >= limit)
                    {
                        break;
                    }
                }
            }
            finally
            {
                _open.ExitReadLock();
            }

            if (complete)
            {
                return found;
            }

            if (attempt == 1)
            {
                throw new InvalidDataException($"index.db: a block of a run is missing (run evidencectl reindex).");
            }

            // A run merged away under us: its blocks go in the merge's commit, the new chain right after. Wait for the
            // writer to finish and read the new chain.
            lock (_writer)
            {
            }
        }
    }

    // Adds the entries of the records matching key until found holds limit; false when a block is gone (the run was
    // merged meanwhile).
    private static bool SearchSection(Section section, Hash key, int limit, List<ulong> found, ILiteCollection<BsonDocument> blocks)
    {
        if (section.Cached is { } cached)
        {
            var i = cached.AsSpan().BinarySearch(new RecordKey(key));
            for (i = i < 0 ? ~i : i; i < cached.Length && cached[i].Hash == key && found.Count < limit; i++)
            {
                found.Add(cached[i].Index);
            }

            return true;
        }

        var prefix = Prefix(key);
        var at = Array.BinarySearch(section.Fences, prefix);
        if (at < 0)
        {
            at = ~at;
        }

        // The block before the first fence >= prefix may end with the key; equal fences mean the key may start there.
        at = Math.Max(0, at - 1);
        while (at > 0 && section.Fences[at] == prefix)
        {
            at--;
        }

        for (; at < section.Fences.Length && section.Fences[at] <= prefix; at++)
        {
            var block = blocks.FindById(section.FirstBlock + at)?["b"].AsBinary;
            if (block is null)
            {
                return false;
            }

            for (var offset = 0; offset + RecordSize <= block.Length; offset += RecordSize)
            {
                var hash = new Hash(block.AsSpan(offset, Hash.Size));
                var order = hash.CompareTo(key);
                if (order > 0)
                {
                    return true;
                }

                if (order == 0)
                {
                    found.Add(BinaryPrimitives.ReadUInt64BigEndian(block.AsSpan(offset + Hash.Size)));
                    if (found.Count >= limit)
                    {
                        return true;
                    }
                }
            }
        }

        return true;
    }

    private IEnumerable<(Hash Hash, ulong Index)> Records(Section section)
    {
        if (section.Cached is { } cached)
        {
            foreach (var record in cached)
            {
                yield return record;
            }

            yield break;
        }

        if (section.Fences.Length == 0)
        {
            yield break;
        }

        // One look-up per block (ids are sequential), never an open cursor: a merge reads its runs while it writes to
        // the same collection in one transaction, which LiteDB 5 does not support with a cursor open.
        for (var i = 0; i < section.Fences.Length; i++)
        {
            var block = _blocks.FindById(section.FirstBlock + i)?["b"].AsBinary
                ?? throw new InvalidDataException($"blocks: block {section.FirstBlock + i} is missing");
            if (block.Length % RecordSize != 0 || (block.Length != BlockRecords * RecordSize && i != section.Fences.Length - 1))
            {
                throw new InvalidDataException($"blocks: block {section.FirstBlock + i} is {block.Length} bytes");
            }

            for (var offset = 0; offset < block.Length; offset += RecordSize)
            {
                yield return (new Hash(block.AsSpan(offset, Hash.Size)), BinaryPrimitives.ReadUInt64BigEndian(block.AsSpan(offset + Hash.Size)));
            }
        }
    }

    // A k-way merge of sorted sequences (the runs it merges never share a record).
    private static IEnumerable<(Hash Hash, ulong Index)> MergeSorted(IEnumerable<(Hash, ulong)>[] sources)
    {
        if (sources.Length == 1)
        {
            foreach (var record in sources[0])
            {
                yield return record;
            }

            yield break;
        }

        var queue = new PriorityQueue<IEnumerator<(Hash, ulong)>, (Hash, ulong)>(
            Comparer<(Hash, ulong)>.Create(CompareRecords));
        var open = new List<IEnumerator<(Hash, ulong)>>();
        try
        {
            foreach (var source in sources)
            {
                var e = source.GetEnumerator();
                open.Add(e);
                if (e.MoveNext())
                {
                    queue.Enqueue(e, e.Current);
                }
            }

            while (queue.TryDequeue(out var e, out var record))
            {
                yield return record;
                if (e.MoveNext())
                {
                    queue.Enqueue(e, e.Current);
                }
            }
        }
        finally
        {
            open.ForEach(e => e.Dispose());
        }
    }

    private sealed record Section(long FirstBlock, int Records, ulong[] Fences)
    {
        /// <summary>The records, for a small run written by this process; otherwise null (read the blocks).</summary>
        public (Hash Hash, ulong Index)[]? Cached { get; init; }
    }

    // Orders records against a key: before every record of the key (the lowest index), so a binary search lands on
    // the key's first record.
    private readonly struct RecordKey(Hash key) : IComparable<(Hash Hash, ulong Index)>
    {
        public int CompareTo((Hash Hash, ulong Index) other)
        {
            var byHash = key.CompareTo(other.Hash);
            return byHash != 0 ? byHash : -1;
        }
    }

    private sealed record Run(long First, long End, Section Leaves, Section Digests);
}
