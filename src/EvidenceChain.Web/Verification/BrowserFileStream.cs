using Microsoft.JSInterop;

namespace EvidenceChain.Web.Verification;

/// <summary>
/// A dropped file read in slices from the browser's File object (<c>File.slice().arrayBuffer()</c>): seekable, so a
/// zip is read without loading it whole, and asynchronous only, so every slice gives the page back to the browser.
/// The bytes come from the user's disk into this tab and go nowhere else.
/// </summary>
/// <remarks>Not thread-safe. Synchronous reads are not supported: WebAssembly cannot wait for the browser.</remarks>
internal sealed class BrowserFileStream : Stream
{
    private const int SliceBytes = 4 << 20;
    private readonly IJSObjectReference _module;
    private readonly DroppedFile _file;
    private readonly Action<long>? _progress;
    private byte[] _slice = [];
    private long _sliceStart;
    private long _position;

    public BrowserFileStream(IJSObjectReference module, DroppedFile file, Action<long>? progress = null)
    {
        _module = module;
        _file = file;
        _progress = progress;
    }

    /// <summary>Bytes read from the browser so far (slices fetched), for progress.</summary>
    public long Fetched { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _file.Size;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= _file.Size || buffer.Length == 0)
        {
            return 0;
        }

        if (_position < _sliceStart || _position >= _sliceStart + _slice.Length)
        {
            var length = (int)Math.Min(Math.Max(SliceBytes, buffer.Length), _file.Size - _position);
            _slice = await _module.InvokeAsync<byte[]>("readSlice", cancellationToken, _file.Id, _position, length);
            _sliceStart = _position;
            Fetched += _slice.Length;
            _progress?.Invoke(Fetched);
            if (_slice.Length == 0)
            {
                throw new IOException($"{_file.Name} could not be read at offset {_position}: the browser returned nothing (was it changed or removed?)");
            }
        }

        var offset = (int)(_position - _sliceStart);
        var count = Math.Min(buffer.Length, _slice.Length - offset);
        _slice.AsMemory(offset, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        // Served from the current slice when it can be (the zip reader peeks at small headers synchronously).
        if (_position >= _file.Size)
        {
            return 0;
        }

        if (_position >= _sliceStart && _position < _sliceStart + _slice.Length)
        {
            var from = (int)(_position - _sliceStart);
            var n = Math.Min(count, _slice.Length - from);
            Buffer.BlockCopy(_slice, from, buffer, offset, n);
            _position += n;
            return n;
        }

        throw new NotSupportedException("A file in the browser is read asynchronously only.");
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _file.Size + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
