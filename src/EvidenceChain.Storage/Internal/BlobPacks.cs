using EvidenceChain.Core;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// Small blobs packed into append-only files, <c>packs/NNNNNNNN.pack</c>, so that storing one costs a few bytes in a
/// shared file instead of an inode, a directory entry and a rename. One writer thread (<see cref="PackWriter"/>)
/// appends whatever uploads are waiting in one gathered write, fsyncs the pack once for all of them, and only then
/// makes them visible and releases their callers: a thousand concurrent 1 KiB uploads cost a handful of writes and
/// fsyncs of one file.
/// </summary>
/// <remarks>
/// <para>
/// The pieces: the record format (<see cref="PackRecord"/>), the index of a sealed pack (<see cref="PackIndex"/>), the
/// writer thread (<see cref="PackWriter"/>), opening after a crash (<see cref="PackRecovery"/>) and where every blob is
/// (<see cref="PackCatalog"/>). Packs are written strictly in order and a record is acknowledged only once fsync'd, so
/// bytes at the end of the newest pack that are not a whole record were never acknowledged: opening cuts them off.
/// Once a pack reaches <see cref="DefaultRollAt"/> (64 MiB; the batch that crosses it is the pack's last, and a batch
/// writes at most 8 MiB) it is sealed: its index is written beside it, so that opening reads the index instead of the
/// pack.
/// </para>
/// <para>The location of every packed blob is kept in memory (about 60 bytes per blob).</para>
/// <para>Thread-safe.</para>
/// </remarks>
internal sealed class BlobPacks : IDisposable
{
    /// <summary>The largest content that is packed; larger content gets a file of its own.</summary>
    public const int MaxBlobSize = PackRecord.MaxContentSize;

    /// <summary>The size at which a pack is sealed and the next one started.</summary>
    public const long DefaultRollAt = 64L << 20;

    private readonly string _folder;
    private readonly PackCatalog _catalog = new();
    private readonly List<PackIssue> _issues = [];
    private readonly PackWriter? _writer;

    /// <summary>
    /// Opens the packs in <paramref name="folder"/>. The <paramref name="writer"/> creates the folder, cuts a torn
    /// tail off the newest pack and fsyncs it, rebuilds the missing or damaged index of a sealed pack that is whole,
    /// and appends; a reader only looks.
    /// </summary>
    public BlobPacks(string folder, bool writer, long rollAt = DefaultRollAt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rollAt, PackRecord.HeaderSize + MaxBlobSize);
        _folder = folder;
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

        var numbers = Directory.Exists(folder) ? PackFiles.Numbers(folder) : [];
        List<(Hash Sha256, long Offset, int Length)> newestRecords = [];
        for (var i = 0; i < numbers.Count; i++)
        {
            var newest = i == numbers.Count - 1;
            var records = PackRecovery.Load(folder, numbers[i], newest, writer, _catalog, _issues);
            if (newest)
            {
                newestRecords = records;
            }
        }

        if (writer)
        {
            _writer = new PackWriter(folder, rollAt, _catalog, numbers.Count == 0 ? null : numbers[^1], newestRecords);
        }
    }

    /// <summary>What opening found wrong with the packs (torn tails, damaged indexes), for audits.</summary>
    public IReadOnlyList<PackIssue> Issues => [.. _issues];

    /// <summary>The number of packed blobs.</summary>
    public int Count => _catalog.Count;

    /// <summary>The path of pack <paramref name="number"/>.</summary>
    public string PathOf(int number) => PackFiles.PackPath(_folder, number);

    /// <summary>True when a blob with this SHA-256 is packed (and durable).</summary>
    public bool Contains(Hash sha256) => _catalog.Contains(sha256);

    /// <summary>The content of the packed blob with this SHA-256, or null when there is none.</summary>
    public byte[]? Read(Hash sha256) => _catalog.TryGet(sha256, out var location) ? Read(location) : null;

    /// <summary>Every packed blob, in pack order: where it is, the SHA-256 its record names, and a way to read it.</summary>
    public IReadOnlyList<PackedBlob> List()
    {
        var blobs = _catalog.Snapshot().Select(b => new PackedBlob(b.Sha256, b.Location, this)).ToList();
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

        return _writer is null
            ? throw new ObjectDisposedException(nameof(BlobPacks), "The blob store is closed (or was opened only for reading).")
            : _writer.AddAsync(sha256, content);
    }

    /// <summary>Writes what is waiting, stops the writer and closes the pack.</summary>
    public void Dispose() => _writer?.Dispose();

    internal byte[] Read(PackLocation location)
    {
        using var file = File.OpenHandle(PathOf(location.Pack), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var content = new byte[location.Length];
        if (PackFiles.ReadAt(file, content, location.Offset) < content.Length)
        {
            throw new IOException($"{PathOf(location.Pack)} ends inside the blob at {location.Offset}.");
        }

        return content;
    }
}
