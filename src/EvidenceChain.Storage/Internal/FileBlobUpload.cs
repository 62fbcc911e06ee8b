using EvidenceChain.Digests;
using EvidenceChain.Ledger;
using Microsoft.Win32.SafeHandles;

namespace EvidenceChain.Storage.Internal;

/// <summary>An upload into <see cref="FileBlobStore"/>: a temporary file hashed as it is written.</summary>
/// <remarks>
/// Writes are synchronous positional writes into the page cache: on Linux "asynchronous" file writes only move the
/// same work to another thread, which for the many small uploads of a busy node costs more than the write itself.
/// </remarks>
internal sealed class FileBlobUpload : IBlobUpload
{
    private readonly FileBlobStore _store;
    private readonly string _temp;
    private readonly ArtefactHasher _hasher;
    private SafeFileHandle? _file;
    private ArtefactDigests? _digests;

    public FileBlobUpload(FileBlobStore store, string temp, bool withSm3)
    {
        _store = store;
        _temp = temp;
        _hasher = new ArtefactHasher(withSm3);
        _file = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
    }

    public long Length => _hasher.Length;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var file = _file ?? throw new InvalidOperationException("The upload is already complete.");
        cancellationToken.ThrowIfCancellationRequested();
        RandomAccess.Write(file, data.Span, _hasher.Length);
        _hasher.Append(data.Span);
        return ValueTask.CompletedTask;
    }

    public Task<ArtefactDigests> CompleteAsync(CancellationToken cancellationToken)
    {
        var file = _file ?? throw new InvalidOperationException("The upload is already complete.");
        cancellationToken.ThrowIfCancellationRequested();
        if (!SyncBarrier.IsGrouped)
        {
            RandomAccess.FlushToDisk(file);
        }

        file.Dispose();
        _file = null;
        _digests = _hasher.Finish();
        return Task.FromResult(_digests);
    }

    public Task CommitAsync(CancellationToken cancellationToken)
    {
        var digests = _digests ?? throw new InvalidOperationException("Complete the upload before committing it.");
        return _store.CommitAsync(_temp, digests.Sha256, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _file?.Dispose();
        _file = null;
        _hasher.Dispose();
        File.Delete(_temp); // after a commit the temporary file is gone or was a duplicate
        return ValueTask.CompletedTask;
    }
}
