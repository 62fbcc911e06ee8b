using System.Collections.Concurrent;
using EvidenceChain.Core;
using EvidenceChain.Core.Digests;
using EvidenceChain.Ledger;

namespace EvidenceChain.Testing;

/// <summary>An in-memory <see cref="IBlobStore"/> that counts uploads still open, for tests of what is kept.</summary>
public sealed class MemoryBlobStore : IBlobStore
{
    private readonly ConcurrentDictionary<Hash, byte[]> _blobs = new();
    private int _open;

    public IReadOnlyDictionary<Hash, byte[]> Blobs => _blobs;

    /// <summary>Uploads begun and not yet disposed.</summary>
    public int OpenUploads => Volatile.Read(ref _open);

    public IBlobUpload BeginUpload(bool withSm3)
    {
        Interlocked.Increment(ref _open);
        return new Upload(this, withSm3);
    }

    public Stream? OpenRead(Hash sha256) => _blobs.TryGetValue(sha256, out var bytes) ? new MemoryStream(bytes, writable: false) : null;

    private sealed class Upload(MemoryBlobStore owner, bool withSm3) : IBlobUpload
    {
        private readonly MemoryStream _content = new();
        private ArtefactDigests? _digests;
        private bool _disposed;

        public long Length => _content.Length;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_disposed || _digests is not null, this);
            _content.Write(data.Span);
            return ValueTask.CompletedTask;
        }

        public Task<ArtefactDigests> CompleteAsync(CancellationToken cancellationToken)
        {
            _digests = ArtefactHasher.Compute(_content.ToArray(), withSm3);
            return Task.FromResult(_digests);
        }

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            var digests = _digests ?? throw new InvalidOperationException("Complete before commit.");
            owner._blobs.TryAdd(digests.Sha256, _content.ToArray());
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (!_disposed)
            {
                _disposed = true;
                Interlocked.Decrement(ref owner._open);
            }

            return ValueTask.CompletedTask;
        }
    }
}
