using EvidenceChain.Core;
using Microsoft.Win32.SafeHandles;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// The one thread that appends to the packs: it takes whatever uploads are waiting, writes them to the active pack in
/// one gathered write (at most 8 MiB each), fsyncs it once for all of them, then publishes them in the
/// <see cref="PackCatalog"/> and releases their callers. Once the active pack reaches the roll size it is sealed with
/// its index (<see cref="PackIndex"/>) and the next one started.
/// </summary>
/// <remarks>Thread-safe to add to; the file state is the writer thread's own.</remarks>
internal sealed class PackWriter : IDisposable
{
    private const int MaxWriteBytes = 8 << 20;

    private readonly string _folder;
    private readonly long _rollAt;
    private readonly PackCatalog _catalog;
    private readonly object _gate = new(); // guards the queue, _stopping and _failure
    private readonly Thread _thread;
    private List<Pending> _queue = [];
    private bool _stopping;
    private Exception? _failure;

    // The writer thread's own state.
    private SafeFileHandle? _active;
    private int _activeNumber;
    private long _activeLength;
    private readonly List<(Hash Sha256, long Offset, int Length)> _activeRecords = [];

    /// <summary>
    /// Starts appending to pack <paramref name="newest"/> (whose records are <paramref name="newestRecords"/>), or to a
    /// new pack 0 when there is none.
    /// </summary>
    public PackWriter(string folder, long rollAt, PackCatalog catalog, int? newest, List<(Hash Sha256, long Offset, int Length)> newestRecords)
    {
        _folder = folder;
        _rollAt = rollAt;
        _catalog = catalog;
        if (newest is not { } number)
        {
            StartPack(0);
        }
        else
        {
            _activeNumber = number;
            _activeRecords.AddRange(newestRecords);
            _active = File.OpenHandle(PackFiles.PackPath(folder, number), FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            _activeLength = RandomAccess.GetLength(_active);

            // A process killed between a batch's write and its fsync leaves whole records in the page cache that were
            // never acknowledged; they are served from now on, so they must be on disk first.
            RandomAccess.FlushToDisk(_active);
            if (_activeLength >= _rollAt)
            {
                Roll();
            }
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "EvidenceChain blob packs" };
        _thread.Start();
    }

    /// <summary>
    /// Queues <paramref name="content"/> under <paramref name="sha256"/>; the task completes once it is durable (at
    /// once when it is already packed).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The writer is stopping.</exception>
    /// <exception cref="IOException">An earlier write failed; the writer refuses further writes.</exception>
    public Task AddAsync(Hash sha256, ReadOnlyMemory<byte> content)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                throw new ObjectDisposedException(nameof(BlobPacks), "The blob store is closed (or was opened only for reading).");
            }

            if (_catalog.Contains(sha256))
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

    /// <summary>Writes what is waiting, stops the thread and closes the active pack.</summary>
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

        _thread.Join();
        _active?.Dispose();
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

            // At most MaxWriteBytes per write, so a pack overshoots the roll size by at most that.
            for (var from = 0; from < batch.Count;)
            {
                var to = from;
                for (long bytes = 0; to < batch.Count && (to == from || bytes + PackRecord.HeaderSize + batch[to].Content.Length <= MaxWriteBytes); to++)
                {
                    bytes += PackRecord.HeaderSize + batch[to].Content.Length;
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
            lock (_gate)
            {
                if (_failure is not null)
                {
                    throw new IOException("The blob store stopped writing after an earlier failure; restart the node.", _failure);
                }
            }

            // One record per new SHA-256; duplicates in the batch wait for the same write.
            var seen = new HashSet<Hash>();
            var records = new List<Pending>(batch.Count);
            foreach (var p in batch)
            {
                if (!_catalog.Contains(p.Sha256) && seen.Add(p.Sha256))
                {
                    records.Add(p);
                }
            }

            var headers = new byte[records.Count * PackRecord.HeaderSize];
            var buffers = new List<ReadOnlyMemory<byte>>(records.Count * 2);
            var offset = _activeLength;
            var added = new List<(Hash, PackLocation)>(records.Count);
            for (var i = 0; i < records.Count; i++)
            {
                var header = headers.AsMemory(i * PackRecord.HeaderSize, PackRecord.HeaderSize);
                PackRecord.WriteHeader(header.Span, records[i].Sha256, records[i].Content.Length);
                buffers.Add(header);
                buffers.Add(records[i].Content);
                added.Add((records[i].Sha256, new PackLocation(_activeNumber, offset + PackRecord.HeaderSize, records[i].Content.Length)));
                offset += PackRecord.HeaderSize + records[i].Content.Length;
            }

            if (records.Count > 0)
            {
                RandomAccess.Write(_active!, buffers, _activeLength);
                RandomAccess.FlushToDisk(_active!);
                _activeLength = offset;
                foreach (var (sha256, location) in added)
                {
                    _activeRecords.Add((sha256, location.Offset - PackRecord.HeaderSize, location.Length));
                }

                _catalog.Publish(added);
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
                p.Done.TrySetException(new IOException($"Storing a blob in {PackFiles.PackPath(_folder, _activeNumber)} failed: {e.Message}", e));
            }
        }
    }

    // Seals the active pack (it is synced: every write is) with its index and starts the next one.
    private void Roll()
    {
        PackIndex.Write(_folder, _activeNumber, _activeRecords);
        _active!.Dispose();
        StartPack(_activeNumber + 1);
    }

    private void StartPack(int number)
    {
        _active = OwnerOnly.Restrict(File.OpenHandle(PackFiles.PackPath(_folder, number), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read));
        Durable.SyncDirectory(_folder);
        _activeNumber = number;
        _activeLength = 0;
        _activeRecords.Clear();
    }

    private sealed class Pending(Hash sha256, ReadOnlyMemory<byte> content)
    {
        public Hash Sha256 { get; } = sha256;

        public ReadOnlyMemory<byte> Content { get; } = content;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
