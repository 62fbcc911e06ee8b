using System.Buffers;
using EvidenceChain.Core.Digests;
using EvidenceChain.Ledger;
using Microsoft.Win32.SafeHandles;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// An upload into <see cref="FileBlobStore"/>, hashed as it is written. Content up to
/// <see cref="BlobPacks.MaxBlobSize"/> is held in memory, hashed when complete and packed when committed; past that it
/// spills into a temporary file that is committed under its digest's name, and its SHA-256 and SM3 are computed
/// side by side on their own tasks (<see cref="ParallelDigests"/>) while the file is written.
/// </summary>
/// <remarks>
/// File writes are synchronous positional writes into the page cache: on Linux "asynchronous" file writes only move
/// the same work to another thread, which for the many small uploads of a busy node costs more than the write itself.
/// A file of <see cref="LargeFile"/> or more is written back to disk as it arrives (<see cref="Durable.StartWriteBack"/>)
/// and fsync'd itself when complete, so that the disk works while the upload is still arriving and the reply waits
/// only for the last few megabytes; smaller files are made durable by the store's group sync at commit.
/// </remarks>
internal sealed class FileBlobUpload : IBlobUpload
{
    /// <summary>From this size on a file is written back as it arrives and fsync'd on its own.</summary>
    internal const long LargeFile = 8 << 20;

    private readonly FileBlobStore _store;
    private readonly bool _withSm3;
    private byte[]? _memory; // rented; the content while it fits in a pack
    private ParallelDigests? _digesting; // once the content spilled into a file
    private string? _temp;
    private SafeFileHandle? _file;
    private long _length;
    private long _writtenBack; // bytes of the file handed to write-back so far
    private ArtefactDigests? _digests;
    private bool _completed;
    private Task? _packing;

    public FileBlobUpload(FileBlobStore store, bool withSm3)
    {
        _store = store;
        _withSm3 = withSm3;
    }

    public long Length => _length;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The upload is already complete.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var length = _length;
        if (_file is null && length + data.Length <= BlobPacks.MaxBlobSize)
        {
            if (_memory is null || _memory.Length < length + data.Length)
            {
                var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(BlobPacks.MaxBlobSize, Math.Max(4096, 2 * (length + data.Length))));
                if (_memory is not null)
                {
                    _memory.AsSpan(0, (int)length).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(_memory);
                }

                _memory = grown;
            }

            data.Span.CopyTo(_memory.AsSpan((int)length));
            _length = length + data.Length;
            return;
        }

        if (_file is null)
        {
            (_temp, _file) = _store.CreateTemporary();
            _digesting = new ParallelDigests(_withSm3);
            if (_memory is not null)
            {
                RandomAccess.Write(_file, _memory.AsSpan(0, (int)length), 0);
                await _digesting.AppendAsync(_memory.AsMemory(0, (int)length), cancellationToken);
                ReturnMemory();
            }
        }

        RandomAccess.Write(_file, data.Span, length);
        _length = length + data.Length;
        if (_length - _writtenBack >= LargeFile)
        {
            Durable.StartWriteBack(_file, _writtenBack, _length - _writtenBack);
            _writtenBack = _length;
        }

        await _digesting!.AppendAsync(data, cancellationToken);
    }

    public async Task<ArtefactDigests> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The upload is already complete.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        _completed = true;
        if (_file is null)
        {
            _digests = ArtefactHasher.Compute(_memory.AsSpan(0, (int)_length), _withSm3);
            return _digests;
        }

        // The file's tail reaches the disk while the hashes catch up.
        var flush = ContentIsOwnDurability || !SyncBarrier.IsGrouped ? Task.Run(() => RandomAccess.FlushToDisk(_file), CancellationToken.None) : Task.CompletedTask;
        try
        {
            _digests = await _digesting!.FinishAsync(cancellationToken);
        }
        finally
        {
            await flush;
            _file.Dispose();
            _file = null;
        }

        return _digests;
    }

    public Task CommitAsync(CancellationToken cancellationToken)
    {
        var digests = _digests ?? throw new InvalidOperationException("Complete the upload before committing it.");
        cancellationToken.ThrowIfCancellationRequested();
        if (_temp is not null)
        {
            return _store.CommitAsync(_temp, digests.Sha256, contentDurable: ContentIsOwnDurability, cancellationToken);
        }

        // Not cancellable: the pack writer reads the memory until the task completes.
        return _packing = _store.Packs.AddAsync(digests.Sha256, _memory.AsMemory(0, (int)digests.Size));
    }

    public async ValueTask DisposeAsync()
    {
        if (_packing is not null)
        {
            // The memory goes back to the pool only once the pack writer is done with it.
            await _packing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_digesting is not null)
        {
            await _digesting.DisposeAsync();
        }

        _file?.Dispose();
        _file = null;
        ReturnMemory();
        if (_temp is not null)
        {
            File.Delete(_temp); // after a commit the temporary file is gone or was a duplicate
        }
    }

    // A large file is fsync'd by itself (its folder by the commit); a small one joins the store's group sync.
    private bool ContentIsOwnDurability => _length >= LargeFile;

    private void ReturnMemory()
    {
        if (_memory is not null)
        {
            ArrayPool<byte>.Shared.Return(_memory);
            _memory = null;
        }
    }
}
