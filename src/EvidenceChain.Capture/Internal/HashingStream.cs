using EvidenceChain.Core.Digests;

namespace EvidenceChain.Capture.Internal;

/// <summary>A write-only stream that hashes every byte on its way to the file underneath, so an artefact is hashed as it is made.</summary>
internal sealed class HashingStream : Stream
{
    private readonly Stream _inner;
    private readonly ArtefactHasher _hasher;

    public HashingStream(Stream inner, bool sm3)
    {
        _inner = inner;
        _hasher = new ArtefactHasher(sm3);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _hasher.Length;

    public override long Position
    {
        get => _hasher.Length;
        set => throw new NotSupportedException();
    }

    /// <summary>Writes a whole file through a hashing stream and returns its digests.</summary>
    public static async Task<ArtefactDigests> WriteFileAsync(string path, bool sm3, Func<Stream, Task> produce, CancellationToken ct)
    {
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (file)
        {
            using var hashing = new HashingStream(file, sm3);
            await produce(hashing);
            await file.FlushAsync(ct);
            return hashing._hasher.Finish();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hasher.Append(buffer);
        _inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hasher.Append(buffer.Span);
        await _inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hasher.Dispose();
        }

        base.Dispose(disposing);
    }
}
