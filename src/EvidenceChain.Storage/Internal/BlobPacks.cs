using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using EvidenceChain.Core;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// Small blobs packed into append-only files, <c>packs/NNNNNNNN.pack</c>, so that storing one costs a few bytes in a
/// shared file instead of an inode, a directory entry and a rename. One writer thread appends whatever uploads are
/// waiting in one gathered write, fsyncs the pack once for all of them, and only then makes them visible and
/// releases their callers: a thousand concurrent 1 KiB uploads cost a handful of writes and fsyncs of one file.
/// </summary>
/// <remarks>
/// <para>
/// A record is <c>"ECB1"</c>, the content's length (u32, big-endian), its SHA-256 (32 bytes), then the content.
/// Packs are written strictly in order and a record is acknowledged only once fsync'd, so bytes at the end of the
/// newest pack that are not a whole record (one whose content hashes to the SHA-256 it names) were never acknowledged:
/// opening cuts them off. Once a pack reaches <see cref="DefaultRollAt"/> (64 MiB; the batch that crosses it is the
/// pack's last, and a batch writes at most 8 MiB) it is sealed: an index
/// <c>NNNNNNNN.idx</c> (each record's SHA-256, offset and length, then a SHA-256 of those bytes) is written beside it,
/// so that opening reads the index instead of the pack.
/// </para>
/// <para>The location of every packed blob is kept in memory (about 60 bytes per blob).</para>
/// <para>Thread-safe.</para>
/// </remarks>
internal sealed class BlobPacks : IDisposable
{
    /// <summary>The largest content that is packed; larger content gets a file of its own.</summary>
    public const int MaxBlobSize = 64 * 1024;

    /// <summary>The size at which a pack is sealed and the next one started.</summary>
    public const long DefaultRollAt = 64L << 20;

    private const int HeaderSize = 40;
    private const int MaxWriteBytes = 8 << 20;
    private const int IndexRecordSize = Hash.Size + 8 + 4;
    private static readonly byte[] Magic = "ECB1"u8.ToArray();

    private readonly string _folder;
    private readonly long _rollAt;
    private readonly object _gate = new(); // guards everything below but the writer's own file state
    private readonly Dictionary<Hash, Location> _blobs = [];
    private readonly List<PackIssue> _issues = [];
    private readonly Thread? _writer;
    private List<Pending> _queue = [];
    private bool _stopping;
    private Exception? _failure;

    // The writer thread's own state.
    private SafeFileHandle? _active;
    private int _activeNumber;
    private long _activeLength;
    private readonly List<(Hash Sha256, long Offset, int Length)> _activeRecords = [];

    /// <summary>
    /// Opens the packs in <paramref name="folder"/>. The <paramref name="writer"/> creates the folder, cuts a torn
    /// tail off the newest pack and fsyncs it, rebuilds the missing or damaged index of a sealed pack that is whole,
    /// and appends; a reader only looks.
    /// </summary>
    public BlobPacks(string folder, bool writer, long rollAt = DefaultRollAt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rollAt, HeaderSize + MaxBlobSize);
        _folder = folder;
        _rollAt = rollAt;
        if (writer)
        {
            var created = new HashSet<string>(StringComparer.Ordinal);
            Durable.CreateDirectory(folder, created);
            foreach (var parent in created)
            {
                Durable.SyncDirectory(parent);
            }

            foreach (var leftover in Directory.EnumerateFiles(folder, "*.tmp"))
            {
                File.Delete(leftover);
            }
        }

        var numbers = Directory.Exists(folder) ? PackNumbers(folder) : [];
        for (var i = 0; i < numbers.Count; i++)
        {
            Load(numbers[i], newest: i == numbers.Count - 1, writer);
        }

        if (!writer)
        {
            return;
        }

        if (numbers.Count == 0)
        {
            StartPack(0);
        }
        else
        {
            _activeNumber = numbers[^1];
            _active = File.OpenHandle(PathOf(_activeNumber), FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            _activeLength = RandomAccess.GetLength(_active);

            // A process killed between a batch's write and its fsync leaves whole records in the page cache that were
            // never acknowledged; they are served from now on, so they must be on disk first.
            RandomAccess.FlushToDisk(_active);
            if (_activeLength >= _rollAt)
            {
                Roll();
            }
        }

        _writer = new Thread(Run) { IsBackground = true, Name = "EvidenceChain blob packs" };
        _writer.Start();
    }

    /// <summary>What opening found wrong with the packs (torn tails, damaged indexes), for audits.</summary>
    public IReadOnlyList<PackIssue> Issues
    {
        get
        {
            lock (_gate)
            {
                return [.. _issues];
            }
        }
    }

    /// <summary>The number of packed blobs.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _blobs.Count;
            }
        }
    }

    /// <summary>The path of pack <paramref name="number"/>.</summary>
    public string PathOf(int number) => Path.Combine(_folder, number.ToString("D8", CultureInfo.InvariantCulture) + ".pack");

    /// <summary>True when a blob with this SHA-256 is packed (and durable).</summary>
    public bool Contains(Hash sha256)
    {
        lock (_gate)
        {
            return _blobs.ContainsKey(sha256);
        }
    }

    /// <summary>The content of the packed blob with this SHA-256, or null when there is none.</summary>
    public byte[]? Read(Hash sha256)
    {
        Location location;
        lock (_gate)
        {
            if (!_blobs.TryGetValue(sha256, out location))
            {
                return null;
            }
        }

        return Read(location);
    }

    /// <summary>Every packed blob, in pack order: where it is, the SHA-256 its record names, and a way to read it.</summary>
    public IReadOnlyList<PackedBlob> List()
    {
        List<PackedBlob> blobs;
        lock (_gate)
        {
            blobs = [.. _blobs.Select(b => new PackedBlob(b.Key, b.Value, this))];
        }

        blobs.Sort((a, b) => (a.Location.Pack, a.Location.Offset).CompareTo((b.Location.Pack, b.Location.Offset)));
        return blobs;
    }

    /// <summary>
    /// Packs <paramref name="content"/> under <paramref name="sha256"/> (its SHA-256, computed by the caller) and
    /// completes once it is durable; content already packed is kept once. <paramref name="content"/> must stay
    /// unchanged until the returned task completes.
    /// </summary>
    /// <exception cref="IOException">Writing or syncing a pack failed; the store refuses further writes.</exception>
    public Task AddAsync(Hash sha256, ReadOnlyMemory<byte> content)
    {
        if (content.Length > MaxBlobSize)
        {
            throw new ArgumentOutOfRangeException(nameof(content), $"Packed content is at most {MaxBlobSize} bytes.");
        }

        lock (_gate)
        {
            if (_writer is null || _stopping)
            {
                throw new ObjectDisposedException(nameof(BlobPacks), "The blob store is closed (or was opened only for reading).");
            }

            if (_blobs.ContainsKey(sha256))
            {
                return Task.CompletedTask;
            }

            if (_failure is not null)
            {
                throw new IOException("The blob store stopped writing after an earlier failure; restart the node.", _failure);
            }

            var pending = new Pending(sha256, content);
            _queue.Add(pending);
            if (_queue.Count == 1)
            {
                Monitor.Pulse(_gate);
            }

            return pending.Done.Task;
        }
    }

    /// <summary>Writes what is waiting, stops the writer and closes the pack.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            Monitor.Pulse(_gate);
        }

        _writer?.Join();
        _active?.Dispose();
    }

    internal byte[] Read(Location location)
    {
        using var file = File.OpenHandle(PathOf(location.Pack), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var content = new byte[location.Length];
        if (ReadAt(file, content, location.Offset) < content.Length)
        {
            throw new IOException($"{PathOf(location.Pack)} ends inside the blob at {location.Offset}.");
        }

        return content;
    }

    // Fills buffer from offset on, short only at the end of the file; returns how much was read.
    private static int ReadAt(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var read = RandomAccess.Read(file, buffer[done..], offset + done);
            if (read == 0)
            {
                break;
            }

            done += read;
        }

        return done;
    }

    private void Run()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                while (_queue.Count == 0 && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_queue.Count == 0)
                {
                    return;
                }

                batch = _queue;
                _queue = [];
            }

            // At most MaxWriteBytes per write, so a pack overshoots RollAt by at most that.
            for (var from = 0; from < batch.Count;)
            {
                var to = from;
                for (long bytes = 0; to < batch.Count && (to == from || bytes + HeaderSize + batch[to].Content.Length <= MaxWriteBytes); to++)
                {
                    bytes += HeaderSize + batch[to].Content.Length;
                }

                Write(batch.GetRange(from, to - from));
                from = to;
            }
        }
    }

    private void Write(List<Pending> batch)
    {
        try
        {
            if (_failure is not null)
            {
                throw new IOException("The blob store stopped writing after an earlier failure; restart the node.", _failure);
            }

            // One record per new SHA-256; duplicates in the batch wait for the same write.
            var seen = new HashSet<Hash>();
            var records = new List<Pending>(batch.Count);
            foreach (var p in batch)
            {
                bool known;
                lock (_gate)
                {
                    known = _blobs.ContainsKey(p.Sha256);
                }

                if (!known && seen.Add(p.Sha256))
                {
                    records.Add(p);
                }
            }

            var headers = new byte[records.Count * HeaderSize];
            var buffers = new List<ReadOnlyMemory<byte>>(records.Count * 2);
            var offset = _activeLength;
            var added = new List<(Hash, Location)>(records.Count);
            for (var i = 0; i < records.Count; i++)
            {
                var header = headers.AsMemory(i * HeaderSize, HeaderSize);
                WriteHeader(header.Span, records[i].Sha256, records[i].Content.Length);
                buffers.Add(header);
                buffers.Add(records[i].Content);
                added.Add((records[i].Sha256, new Location(_activeNumber, offset + HeaderSize, records[i].Content.Length)));
                offset += HeaderSize + records[i].Content.Length;
            }

            if (records.Count > 0)
            {
                RandomAccess.Write(_active!, buffers, _activeLength);
                RandomAccess.FlushToDisk(_active!);
                _activeLength = offset;
                foreach (var (sha256, location) in added)
                {
                    _activeRecords.Add((sha256, location.Offset - HeaderSize, location.Length));
                }

                lock (_gate)
                {
                    foreach (var (sha256, location) in added)
                    {
                        _blobs[sha256] = location;
                    }
                }
            }

            foreach (var p in batch)
            {
                p.Done.TrySetResult();
            }

            if (_activeLength >= _rollAt)
            {
                Roll();
            }
        }
        catch (Exception e)
        {
            // After a failed write or fsync the pack's tail is unknown (and Linux may have dropped the dirty pages):
            // refuse further writes rather than acknowledge content that might not be on disk, and cut off what this
            // batch may have written so that a restart does not find it.
            lock (_gate)
            {
                _failure ??= e;
            }

            try
            {
                RandomAccess.SetLength(_active!, _activeLength);
                RandomAccess.FlushToDisk(_active!);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                // Opening cuts off a torn tail; a whole record that survives was never acknowledged and is harmless.
            }

            foreach (var p in batch)
            {
                p.Done.TrySetException(new IOException($"Storing a blob in {PathOf(_activeNumber)} failed: {e.Message}", e));
            }
        }
    }

    // Seals the active pack (it is synced: every write is) with its index and starts the next one.
    private void Roll()
    {
        WriteIndex(_activeNumber, _activeRecords);
        _active!.Dispose();
        StartPack(_activeNumber + 1);
    }

    private void StartPack(int number)
    {
        _active = OwnerOnly.Restrict(File.OpenHandle(PathOf(number), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read));
        Durable.SyncDirectory(_folder);
        _activeNumber = number;
        _activeLength = 0;
        _activeRecords.Clear();
    }

    private string IndexPathOf(int number) => Path.ChangeExtension(PathOf(number), ".idx");

    // Each record's SHA-256, offset (i64) and length (u32), big-endian, then the SHA-256 of all that; temp file,
    // fsync, rename.
    private void WriteIndex(int number, List<(Hash Sha256, long Offset, int Length)> records)
    {
        var index = new byte[records.Count * IndexRecordSize + Hash.Size];
        for (var i = 0; i < records.Count; i++)
        {
            var record = index.AsSpan(i * IndexRecordSize, IndexRecordSize);
            records[i].Sha256.CopyTo(record);
            BinaryPrimitives.WriteInt64BigEndian(record[Hash.Size..], records[i].Offset);
            BinaryPrimitives.WriteUInt32BigEndian(record[(Hash.Size + 8)..], (uint)records[i].Length);
        }

        SHA256.HashData(index.AsSpan(0, index.Length - Hash.Size), index.AsSpan(index.Length - Hash.Size));
        var path = IndexPathOf(number);
        var temp = path + ".tmp";
        using (var file = OwnerOnly.Restrict(File.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None)))
        {
            RandomAccess.Write(file, index, 0);
            RandomAccess.FlushToDisk(file);
        }

        File.Move(temp, path, overwrite: true);
        Durable.SyncDirectory(_folder);
    }

    private void Load(int number, bool newest, bool writer)
    {
        var path = PathOf(number);
        var relative = "packs/" + Path.GetFileName(path);
        using var file = File.OpenHandle(path, FileMode.Open, writer ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite);
        var length = RandomAccess.GetLength(file);
        var hasIndex = File.Exists(IndexPathOf(number));
        if (!newest && hasIndex && TryLoadIndex(number, length))
        {
            return;
        }

        // The newest pack (still being written), or a sealed one whose index is missing or damaged: read it through.
        var (records, gaps) = Scan(file, number);
        foreach (var (sha256, location) in records)
        {
            _blobs.TryAdd(sha256, location);
        }

        if (newest)
        {
            _activeRecords.AddRange(records.Select(r => (r.Sha256, r.Location.Offset - HeaderSize, r.Location.Length)));
            foreach (var (from, to) in gaps)
            {
                // Records are written in order and acknowledged only once fsync'd, so bytes that are not a whole record
                // at the end were never acknowledged. Elsewhere they may be a crash's too (a batch persisted in part);
                // whatever an entry lists and is lost there, the audit reports as a missing artefact.
                var tail = to == length;
                _issues.Add(new PackIssue(
                    relative,
                    tail
                        ? $"{to - from} bytes after its last whole record (at {from}): an append cut short by a crash; " + (writer ? "cut off" : "the node cuts them off when it opens")
                        : $"bytes {from} to {to} are not a whole record (an append cut short by a crash, or damage); the records after them are read",
                    Benign: true));
                if (tail && writer)
                {
                    RandomAccess.SetLength(file, from);
                    RandomAccess.FlushToDisk(file);
                }
            }

            return;
        }

        if (gaps.Count > 0)
        {
            // A sealed pack was synced whole before its index was written: no crash explains this. Keep reading it
            // through on every open (no index) so that the audit keeps reporting it.
            foreach (var (from, to) in gaps)
            {
                _issues.Add(new PackIssue(relative, $"bytes {from} to {to} are damaged: not a whole record", Benign: false));
            }

            return;
        }

        _issues.Add(new PackIssue(
            relative,
            (hasIndex ? "its index does not match the pack; " : "its index is missing; ") + (writer ? "rebuilt" : "the node rebuilds it when it opens"),
            Benign: writer));
        if (writer)
        {
            WriteIndex(number, [.. records.Select(r => (r.Sha256, r.Location.Offset - HeaderSize, r.Location.Length))]);
        }
    }

    // Loads a sealed pack's index when it is whole and its records lie in order within the pack.
    private bool TryLoadIndex(int number, long packLength)
    {
        var index = File.ReadAllBytes(IndexPathOf(number));
        var body = index.Length - Hash.Size;
        if (body < 0 || body % IndexRecordSize != 0 || !SHA256.HashData(index.AsSpan(0, body)).AsSpan().SequenceEqual(index.AsSpan(body)))
        {
            return false;
        }

        var records = new List<(Hash, Location)>(body / IndexRecordSize);
        long end = 0;
        for (var at = 0; at < body; at += IndexRecordSize)
        {
            var offset = BinaryPrimitives.ReadInt64BigEndian(index.AsSpan(at + Hash.Size));
            var length = BinaryPrimitives.ReadUInt32BigEndian(index.AsSpan(at + Hash.Size + 8));
            if (offset < end || length > MaxBlobSize || offset + HeaderSize + length > packLength)
            {
                return false;
            }

            records.Add((new Hash(index.AsSpan(at, Hash.Size)), new Location(number, offset + HeaderSize, (int)length)));
            end = offset + HeaderSize + length;
        }

        if (end != packLength)
        {
            return false;
        }

        foreach (var (sha256, location) in records)
        {
            _blobs.TryAdd(sha256, location);
        }

        return true;
    }

    // Reads a whole pack and returns its records, and the stretches that are not a whole record whose content hashes
    // to the SHA-256 it names (the scan skips to the next record it can read).
    private static (List<(Hash Sha256, Location Location)> Records, List<(long From, long To)> Gaps) Scan(SafeFileHandle file, int number)
    {
        var length = RandomAccess.GetLength(file);
        if (length > int.MaxValue)
        {
            throw new InvalidDataException($"Pack {number} is {length} bytes, larger than any pack the node writes.");
        }

        var data = new byte[length];
        var filled = ReadAt(file, data, 0);

        var records = new List<(Hash, Location)>();
        var gaps = new List<(long, long)>();
        var offset = 0;
        while (offset < filled)
        {
            if (TryReadRecord(data.AsSpan(0, filled), offset, out var sha256, out var size))
            {
                records.Add((sha256, new Location(number, offset + HeaderSize, size)));
                offset += HeaderSize + size;
                continue;
            }

            var next = offset + 1;
            while (next < filled)
            {
                var found = data.AsSpan(next, filled - next).IndexOf(Magic);
                if (found < 0)
                {
                    next = filled;
                    break;
                }

                next += found;
                if (TryReadRecord(data.AsSpan(0, filled), next, out _, out _))
                {
                    break;
                }

                next++;
            }

            gaps.Add((offset, next));
            offset = next;
        }

        if (filled < length)
        {
            gaps.Add((filled, length));
        }

        return (records, gaps);
    }

    private static bool TryReadRecord(ReadOnlySpan<byte> pack, int offset, out Hash sha256, out int size)
    {
        sha256 = default;
        size = 0;
        if (pack.Length - offset < HeaderSize || !pack.Slice(offset, 4).SequenceEqual(Magic))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(pack[(offset + 4)..]);
        if (length > MaxBlobSize || pack.Length - offset - HeaderSize < length)
        {
            return false;
        }

        sha256 = new Hash(pack.Slice(offset + 8, Hash.Size));
        size = (int)length;
        Span<byte> actual = stackalloc byte[Hash.Size];
        SHA256.HashData(pack.Slice(offset + HeaderSize, size), actual);
        return new Hash(actual) == sha256;
    }

    private static void WriteHeader(Span<byte> header, Hash sha256, int length)
    {
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)length);
        sha256.CopyTo(header[8..]);
    }

    private static List<int> PackNumbers(string folder)
    {
        var numbers = new List<int>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.pack"))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.Length == 8 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                numbers.Add(number);
            }
        }

        numbers.Sort();
        return numbers;
    }

    /// <summary>Where a packed blob's content is.</summary>
    internal readonly record struct Location(int Pack, long Offset, int Length);

    private sealed class Pending(Hash sha256, ReadOnlyMemory<byte> content)
    {
        public Hash Sha256 { get; } = sha256;

        public ReadOnlyMemory<byte> Content { get; } = content;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>A blob in a pack, for audits.</summary>
internal sealed class PackedBlob(Hash sha256, BlobPacks.Location location, BlobPacks packs)
{
    /// <summary>The SHA-256 its record names.</summary>
    public Hash Sha256 { get; } = sha256;

    /// <summary>Where its content is.</summary>
    public BlobPacks.Location Location { get; } = location;

    /// <summary>Reads its content.</summary>
    public byte[] Read() => packs.Read(Location);
}

/// <summary>Something opening found wrong with a pack; <paramref name="Benign"/> when it is the expected trace of a crash.</summary>
internal sealed record PackIssue(string Where, string Message, bool Benign);
