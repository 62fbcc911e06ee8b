using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;

namespace EvidenceChain.LoadTest.RawGrpc;

/// <summary>
/// The single writer of one connection's socket. Callers on any thread append whole frames to a buffer under a lock;
/// one loop sends whatever has gathered, so frames never interleave and a burst of calls costs one send, not one
/// each. Two pooled buffers take turns: one fills while the other is on the wire. Thread-safe.
/// </summary>
internal sealed class Http2FrameWriter : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly Action<Exception> _onFailure;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _ready = new(0);
    private byte[] _filling = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private byte[] _spare = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private int _length;
    private bool _signalled;
    private bool _completed;

    /// <summary>Starts the send loop; onFailure hears of a socket error once, after which frames are dropped.</summary>
    public Http2FrameWriter(Socket socket, Action<Exception> onFailure)
    {
        _socket = socket;
        _onFailure = onFailure;
        Completion = Task.Run(SendLoopAsync);
    }

    /// <summary>Completes when the loop has sent everything written before <see cref="Complete"/>, or has failed.</summary>
    public Task Completion { get; }

    /// <summary>Bytes that are not a frame: the client connection preface.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            bytes.CopyTo(Reserve(bytes.Length));
            Commit(bytes.Length);
        }
    }

    /// <summary>One frame. Requires payload.Length &lt;= the peer's SETTINGS_MAX_FRAME_SIZE.</summary>
    public void Write(Http2FrameType type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        lock (_lock)
        {
            var frame = Reserve(Http2Frame.HeaderSize + payload.Length);
            Http2Frame.WriteHeader(frame, payload.Length, type, flags, streamId);
            payload.CopyTo(frame[Http2Frame.HeaderSize..]);
            Commit(frame.Length);
        }
    }

    public void WriteWindowUpdate(int streamId, int increment)
    {
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, increment);
        Write(Http2FrameType.WindowUpdate, 0, streamId, payload);
    }

    public void WriteRstStream(int streamId, int errorCode)
    {
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, errorCode);
        Write(Http2FrameType.RstStream, 0, streamId, payload);
    }

    public void WriteGoAway(int lastStreamId, int errorCode)
    {
        Span<byte> payload = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(payload, lastStreamId);
        BinaryPrimitives.WriteInt32BigEndian(payload[4..], errorCode);
        Write(Http2FrameType.GoAway, 0, 0, payload);
    }

    /// <summary>No more frames: the loop sends what is buffered and stops. Later writes are dropped.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            Signal();
        }
    }

    /// <summary>Call after <see cref="Completion"/>.</summary>
    public void Dispose() => _ready.Dispose();

    // Callers hold _lock.
    private Span<byte> Reserve(int size)
    {
        if (_length + size > _filling.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_filling.Length * 2, _length + size));
            _filling.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_filling);
            _filling = larger;
        }

        return _filling.AsSpan(_length, size);
    }

    private void Commit(int size)
    {
        if (!_completed)
        {
            _length += size;
            Signal();
        }
    }

    private void Signal()
    {
        if (!_signalled)
        {
            _signalled = true;
            _ready.Release();
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (true)
            {
                await _ready.WaitAsync();
                byte[] sending;
                int length;
                bool last;
                lock (_lock)
                {
                    _signalled = false;
                    (sending, length, last) = (_filling, _length, _completed);
                    (_filling, _spare, _length) = (_spare, sending, 0);
                }

                for (var sent = 0; sent < length;)
                {
                    sent += await _socket.SendAsync(sending.AsMemory(sent, length - sent), SocketFlags.None);
                }

                if (last)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            lock (_lock)
            {
                _completed = true;
            }

            _onFailure(e);
        }
    }
}
