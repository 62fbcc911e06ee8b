using System.Buffers;
using EvidenceChain.Core.Digests;
using EvidenceChain.Ledger;
using Microsoft.Win32.SafeHandles;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// An upload into <see cref="FileBlobStore"/>, hashed as it is written. Content up to
/// <see cref="BlobPacks.MaxBlobSize"/> is held in memory and packed when committed; past that it spills into a
/// temporary file that is committed under its digest's name.
/// </summary>
/// <remarks>
/// File writes are synchronous positional writes into the page cache: on Linux "asynchronous" file writes only move
/// the same work to another thread, which for the many small uploads of a busy node costs more than the write itself.
/// </remarks>
internal sealed class FileBlobUpload : IBlobUpload
{
    private readonly FileBlobStore _store;
    private readonly ArtefactHasher _hasher;
    private byte[]? _memory; // rented; the content while it fits in a pack
    private string? _temp;
    private SafeFileHandle? _file;
    private ArtefactDigests? _digests;
    private bool _completed;
    private Task? _packing;

    public FileBlobUpload(FileBlobStore store, bool withSm3)
    {
        _store = store;
        _hasher = new ArtefactHasher(withSm3);
    }

    public long Length => _hasher.Length;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The upload is already complete.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var length = _hasher.Length;
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
        }
        else
        {
            if (_file is null)
            {
                (_temp, _file) = _store.CreateTemporary();
                if (_memory is not null)
                {
                    RandomAccess.Write(_file, _memory.AsSpan(0, (int)length), 0);
                    ReturnMemory();
                }
            }

            RandomAccess.Write(_file, data.Span, length);
        }

        _hasher.Append(data.Span);
        return ValueTask.CompletedTask;
    }

    public Task<ArtefactDigests> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The upload is already complete.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (_file is not null)
        {
            if (!SyncBarrier.IsGrouped)
            {
                RandomAccess.FlushToDisk(_file);
            }

            _file.Dispose();
            _file = null;
        }

        _completed = true;
        _digests = _hasher.Finish();
        return Task.FromResult(_digests);
    }

    public Task CommitAsync(CancellationToken cancellationToken)
    {
        var digests = _digests ?? throw new InvalidOperationException("Complete the upload before committing it.");
        cancellationToken.ThrowIfCancellationRequested();
        if (_temp is not null)
        {
            return _store.CommitAsync(_temp, digests.Sha256, cancellationToken);
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

        _file?.Dispose();
        _file = null;
        _hasher.Dispose();
        ReturnMemory();
        if (_temp is not null)
        {
            File.Delete(_temp); // after a commit the temporary file is gone or was a duplicate
        }
    }

    private void ReturnMemory()
    {
        if (_memory is not null)
        {
            ArrayPool<byte>.Shared.Return(_memory);
            _memory = null;
        }
    }
}
