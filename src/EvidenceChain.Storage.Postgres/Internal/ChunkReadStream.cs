using Npgsql;

namespace EvidenceChain.Storage.Postgres.Internal;

/// <summary>
/// A stored blob read one chunk row at a time (one short query per chunk, so the stream holds no connection between
/// reads). Seekable: a position maps to a chunk and an offset in it.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class ChunkReadStream : Stream
{
    private readonly NpgsqlDataSource _source;
    private readonly long _blobId;
    private readonly long _length;
    private readonly int _chunkSize;
    private byte[]? _chunk;
    private long _chunkIndex = -1;
    private long _position;

    public ChunkReadStream(NpgsqlDataSource source, long blobId, long length, int chunkSize)
    {
        _source = source;
        _blobId = blobId;
        _length = length;
        _chunkSize = chunkSize;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= _length || buffer.IsEmpty)
        {
            return 0;
        }

        var index = _position / _chunkSize;
        if (index != _chunkIndex)
        {
            using var command = _source.CreateCommand("SELECT data FROM blob_chunks WHERE blob_id = $1 AND seq = $2").With(_blobId, checked((int)index));
            Load(index, command.ExecuteScalar());
        }

        return CopyOut(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= _length || buffer.IsEmpty)
        {
            return 0;
        }

        var index = _position / _chunkSize;
        if (index != _chunkIndex)
        {
            await using var command = _source.CreateCommand("SELECT data FROM blob_chunks WHERE blob_id = $1 AND seq = $2").With(_blobId, checked((int)index));
            Load(index, await command.ExecuteScalarAsync(cancellationToken));
        }

        return CopyOut(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Load(long index, object? data)
    {
        var expected = (int)Math.Min(_chunkSize, _length - (index * _chunkSize));
        if (data is not byte[] bytes || bytes.Length != expected)
        {
            throw new InvalidDataException($"Blob {_blobId}: chunk {index} is missing or not {expected} bytes long; the blob store is damaged.");
        }

        _chunk = bytes;
        _chunkIndex = index;
    }

    private int CopyOut(Span<byte> buffer)
    {
        var offset = (int)(_position - (_chunkIndex * _chunkSize));
        var n = Math.Min(buffer.Length, _chunk!.Length - offset);
        _chunk.AsSpan(offset, n).CopyTo(buffer);
        _position += n;
        return n;
    }
}
