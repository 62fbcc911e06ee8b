using EvidenceChain.Digests;
using EvidenceChain.Ledger;

namespace EvidenceChain.Storage.Internal;

/// <summary>An upload into <see cref="FileBlobStore"/>: a temporary file hashed as it is written.</summary>
internal sealed class FileBlobUpload : IBlobUpload
{
    private readonly FileBlobStore _store;
    private readonly string _temp;
    private readonly ArtefactHasher _hasher;
    private FileStream? _file;
    private ArtefactDigests? _digests;

    public FileBlobUpload(FileBlobStore store, string temp, bool withSm3)
    {
        _store = store;
        _temp = temp;
        _hasher = new ArtefactHasher(withSm3);
        _file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true);
    }

    public long Length => _hasher.Length;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var file = _file ?? throw new InvalidOperationException("The upload is already complete.");
        _hasher.Append(data.Span);
        await file.WriteAsync(data, cancellationToken);
    }

    public async Task<ArtefactDigests> CompleteAsync(CancellationToken cancellationToken)
    {
        var file = _file ?? throw new InvalidOperationException("The upload is already complete.");
        await file.FlushAsync(cancellationToken);
        if (!SyncBarrier.IsGrouped)
        {
            file.Flush(flushToDisk: true);
        }

        await file.DisposeAsync();
        _file = null;
        var digests = _hasher.Finish();
        if (SyncBarrier.IsGrouped)
        {
            // The content must be on disk before the file takes its digest's name: a name that outlived a crash
            // while its content did not would pass for stored evidence.
            await _store.Barrier.WaitAsync(cancellationToken);
        }

        _digests = digests;
        return digests;
    }

    public Task CommitAsync(CancellationToken cancellationToken)
    {
        var digests = _digests ?? throw new InvalidOperationException("Complete the upload before committing it.");
        return _store.CommitAsync(_temp, digests.Sha256, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is { } file)
        {
            await file.DisposeAsync();
            _file = null;
        }

        _hasher.Dispose();
        File.Delete(_temp); // after a commit the temporary file is gone or was a duplicate
    }
}
