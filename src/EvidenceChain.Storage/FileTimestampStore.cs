using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Storage.Internal;
using Microsoft.Win32.SafeHandles;

namespace EvidenceChain.Storage;

/// <summary>
/// The checkpoint tokens, in two append-only files beside the ledger: <c>log/timestamps</c> holds records
/// (u32 note length, the signed checkpoint, u32 response length, the DER TimeStampResp; big-endian) and
/// <c>log/timestamps.idx</c> one 24-byte entry per record (u64 tree size, u64 offset, u32 length, and the first four
/// bytes of the record's SHA-256), in increasing size, so a look-up is a binary search of positional reads.
/// </summary>
/// <remarks>
/// One writer, any number of readers. Each append is fsync'd. Opening drops a torn tail: index entries past the end
/// of the records or whose check fails, and record bytes no entry points to.
/// </remarks>
public sealed class FileTimestampStore : ITimestampStore, IDisposable
{
    /// <summary>The records file's name in the log folder.</summary>
    public const string RecordsFile = "timestamps";

    /// <summary>The index file's name in the log folder.</summary>
    public const string IndexFile = "timestamps.idx";

    private const int EntrySize = 24;
    private readonly FileStream _records;
    private readonly FileStream _index;
    private long _count;
    private volatile StoredTimestamp? _latest;

    /// <summary>Opens (creating when needed) the store in a ledger's log folder, repairing a torn tail.</summary>
    /// <exception cref="InvalidDataException">A record an intact index entry points to cannot be read.</exception>
    public FileTimestampStore(string logPath)
    {
        OwnerOnly.CreateDirectory(logPath);
        _records = Open(Path.Combine(logPath, RecordsFile));
        _index = Open(Path.Combine(logPath, IndexFile));
        try
        {
            Repair();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public StoredTimestamp? Latest => _latest;

    /// <summary>The number of stored tokens.</summary>
    internal long Count => Interlocked.Read(ref _count);

    /// <inheritdoc/>
    public Task AppendAsync(IReadOnlyList<StoredTimestamp> timestamps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        var last = _latest?.Size;
        foreach (var t in timestamps)
        {
            if (last is { } l && t.Size <= l)
            {
                throw new ArgumentException($"Tokens are stored in increasing tree size; {t.Size} does not follow {l}.", nameof(timestamps));
            }

            last = t.Size;
        }

        var offset = _records.Length;
        var entries = new byte[timestamps.Count * EntrySize];
        using var records = new MemoryStream();
        for (var i = 0; i < timestamps.Count; i++)
        {
            var record = Encode(timestamps[i]);
            WriteEntry(entries.AsSpan(i * EntrySize, EntrySize), timestamps[i].Size, offset + records.Length, record);
            records.Write(record);
        }

        RandomAccess.Write(_records.SafeFileHandle, records.GetBuffer().AsSpan(0, (int)records.Length), offset);
        _records.Flush(flushToDisk: true);
        RandomAccess.Write(_index.SafeFileHandle, entries, Count * EntrySize);
        _index.Flush(flushToDisk: true);
        Interlocked.Add(ref _count, timestamps.Count);
        _latest = timestamps.Count > 0 ? timestamps[^1] : _latest;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<StoredTimestamp?> FindCoveringAsync(ulong minimumSize, CancellationToken cancellationToken)
    {
        long low = 0, high = Count; // the first entry with size >= minimumSize lies in [low, high]
        Span<byte> entry = stackalloc byte[EntrySize];
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            ReadEntry(mid, entry);
            if (BinaryPrimitives.ReadUInt64BigEndian(entry) >= minimumSize)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return Task.FromResult(low < Count ? ReadRecord(low) : null);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _records.Dispose();
        _index.Dispose();
    }

    private static FileStream Open(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly.FileMode;
        }

        return new FileStream(path, options);
    }

    private static byte[] Encode(StoredTimestamp timestamp)
    {
        var note = Encoding.UTF8.GetBytes(timestamp.SignedCheckpoint);
        var record = new byte[8 + note.Length + timestamp.Response.Length];
        BinaryPrimitives.WriteUInt32BigEndian(record, (uint)note.Length);
        note.CopyTo(record, 4);
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(4 + note.Length), (uint)timestamp.Response.Length);
        timestamp.Response.CopyTo(record, 8 + note.Length);
        return record;
    }

    private static void WriteEntry(Span<byte> entry, ulong size, long offset, ReadOnlySpan<byte> record)
    {
        BinaryPrimitives.WriteUInt64BigEndian(entry, size);
        BinaryPrimitives.WriteUInt64BigEndian(entry[8..], (ulong)offset);
        BinaryPrimitives.WriteUInt32BigEndian(entry[16..], (uint)record.Length);
        SHA256.HashData(record)[..4].CopyTo(entry[20..]);
    }

    private static StoredTimestamp? Decode(ulong size, ReadOnlySpan<byte> record)
    {
        if (record.Length < 8)
        {
            return null;
        }

        var noteLength = BinaryPrimitives.ReadUInt32BigEndian(record);
        if (noteLength > record.Length - 8)
        {
            return null;
        }

        var responseLength = BinaryPrimitives.ReadUInt32BigEndian(record[(4 + (int)noteLength)..]);
        return responseLength != record.Length - 8 - noteLength
            ? null
            : new StoredTimestamp(size, Encoding.UTF8.GetString(record.Slice(4, (int)noteLength)), record[(8 + (int)noteLength)..].ToArray());
    }

    private void ReadEntry(long i, Span<byte> entry)
    {
        if (RandomAccess.Read(_index.SafeFileHandle, entry, i * EntrySize) != EntrySize)
        {
            throw new InvalidDataException($"{_index.Name} ends inside entry {i}.");
        }
    }

    private StoredTimestamp ReadRecord(long i)
    {
        Span<byte> entry = stackalloc byte[EntrySize];
        ReadEntry(i, entry);
        return TryReadRecord(entry, out var timestamp)
            ? timestamp!
            : throw new InvalidDataException($"{_records.Name}: the record of index entry {i} is damaged.");
    }

    private bool TryReadRecord(ReadOnlySpan<byte> entry, out StoredTimestamp? timestamp)
    {
        timestamp = null;
        var size = BinaryPrimitives.ReadUInt64BigEndian(entry);
        var offset = BinaryPrimitives.ReadUInt64BigEndian(entry[8..]);
        var length = BinaryPrimitives.ReadUInt32BigEndian(entry[16..]);
        var fileLength = (ulong)RandomAccess.GetLength(_records.SafeFileHandle);
        if (length > int.MaxValue || length > fileLength || offset > fileLength - length)
        {
            return false;
        }

        var record = new byte[length];
        if (ReadFully(_records.SafeFileHandle, record, (long)offset) != record.Length || !SHA256.HashData(record).AsSpan(0, 4).SequenceEqual(entry[20..]))
        {
            return false;
        }

        timestamp = Decode(size, record);
        return timestamp is not null;
    }

    private static int ReadFully(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(file, buffer[total..], offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private void Repair()
    {
        var count = _index.Length / EntrySize;
        Span<byte> entry = stackalloc byte[EntrySize];
        StoredTimestamp? latest = null;
        long end = 0;
        while (count > 0)
        {
            ReadEntry(count - 1, entry);
            if (TryReadRecord(entry, out latest))
            {
                end = (long)BinaryPrimitives.ReadUInt64BigEndian(entry[8..]) + BinaryPrimitives.ReadUInt32BigEndian(entry[16..]);
                break;
            }

            count--; // a torn append: its record never fully reached the disk
        }

        var changed = false;
        if (_index.Length != count * EntrySize)
        {
            _index.SetLength(count * EntrySize);
            changed = true;
        }

        if (_records.Length != end)
        {
            _records.SetLength(end);
            changed = true;
        }

        if (changed)
        {
            _records.Flush(flushToDisk: true);
            _index.Flush(flushToDisk: true);
        }

        CheckEntries(count);
        _count = count;
        _latest = latest;
    }

    // The entries' sizes increase and their records lie back to back from byte 0: a damaged index stops the opening
    // here, with the file named, instead of failing receipts later. (Each record's check bytes are the audit's.)
    private void CheckEntries(long count)
    {
        var index = new byte[count * EntrySize];
        if (ReadFully(_index.SafeFileHandle, index, 0) != index.Length)
        {
            throw new InvalidDataException($"{_index.Name} is shorter than its {count} entries.");
        }

        ulong end = 0, size = 0;
        for (var i = 0; i < count; i++)
        {
            var entry = index.AsSpan(i * EntrySize, EntrySize);
            var entrySize = BinaryPrimitives.ReadUInt64BigEndian(entry);
            if (BinaryPrimitives.ReadUInt64BigEndian(entry[8..]) != end || (i > 0 && entrySize <= size))
            {
                throw new InvalidDataException(
                    $"{_index.Name} entry {i} is damaged: its record must start at byte {end} of {_records.Name} and its tree size exceed {size}.");
            }

            size = entrySize;
            end += BinaryPrimitives.ReadUInt32BigEndian(entry[16..]);
        }
    }
}
