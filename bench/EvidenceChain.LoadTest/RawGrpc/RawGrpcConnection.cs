using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;

namespace EvidenceChain.LoadTest.RawGrpc;

/// <summary>
/// A lean gRPC client for one method: one HTTP/2 connection (h2c, prior knowledge) over a TCP socket, written for
/// the load harness, like ghz or h2load, so that the client costs little of the CPU it shares with the node. Calls
/// from many workers share the connection: each is one stream whose HEADERS block was HPACK-encoded once per
/// connection and whose request DATA goes out within the node's flow-control windows; at the node's
/// SETTINGS_MAX_CONCURRENT_STREAMS further calls queue. One reader loop dispatches the node's frames to the calls by
/// stream id (<c>RawGrpcConnection.Frames.cs</c>) and one loop writes (<see cref="Http2FrameWriter"/>). Failed calls
/// throw <see cref="RpcException"/>, as Grpc.Net.Client does. Thread-safe.
/// </summary>
internal sealed partial class RawGrpcConnection : IAsyncDisposable
{
    // Receive windows: far more than the node's replies need, so it never waits for a WINDOW_UPDATE.
    private const int ReceiveStreamWindow = 1 << 20;
    private const int ReceiveConnectionWindow = 16 << 20;

    private readonly Socket _socket;
    private readonly byte[] _requestHeaders;
    private readonly Http2FrameWriter _writer;
    private readonly Lock _sync = new();
    private readonly Dictionary<int, Http2Stream> _streams = [];
    private readonly Queue<Http2Stream> _slotWaiters = new();
    private readonly Stack<Http2Stream> _pool = new();
    private readonly List<TaskCompletionSource> _windowWaiters = [];
    private readonly TaskCompletionSource _settingsReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reader;

    // Under _sync.
    private int _nextStreamId = 1;
    private int _activeStreams;
    private int _maxConcurrentStreams = int.MaxValue;
    private long _sendWindow = Http2Frame.DefaultWindowSize;
    private int _peerInitialWindow = Http2Frame.DefaultWindowSize;
    private int _peerMaxFrameSize = Http2Frame.DefaultMaxFrameSize;
    private bool _goingAway;
    private Exception? _failure;

    private RawGrpcConnection(Socket socket, byte[] requestHeaders)
    {
        _socket = socket;
        _requestHeaders = requestHeaders;
        _writer = new Http2FrameWriter(socket, Abort);
        _writer.WriteRaw(Http2Frame.ClientPreface);
        Span<byte> settings = stackalloc byte[18];
        WriteSetting(settings, Http2Frame.SettingHeaderTableSize, 0);
        WriteSetting(settings[6..], Http2Frame.SettingEnablePush, 0);
        WriteSetting(settings[12..], Http2Frame.SettingInitialWindowSize, ReceiveStreamWindow);
        _writer.Write(Http2FrameType.Settings, 0, 0, settings);
        _writer.WriteWindowUpdate(0, ReceiveConnectionWindow - Http2Frame.DefaultWindowSize);
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>What this connection's reader has received so far; read it after <see cref="DisposeAsync"/>.</summary>
    public Http2TrafficCounters Traffic { get; } = new();

    /// <summary>
    /// Connects to address (http://host:port of an h2c listener), sends the preface and SETTINGS, and returns once the
    /// server's SETTINGS have arrived, so that its concurrency limit is known before the first call. Every call sends
    /// path (/package.Service/Method) with the bearer key.
    /// </summary>
    public static async Task<RawGrpcConnection> OpenAsync(Uri address, string path, string bearerKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var headers = new HpackBlockBuilder()
            .Indexed(HpackStaticTable.MethodPost)
            .Indexed(HpackStaticTable.SchemeHttp)
            .Literal(HpackStaticTable.Path, path)
            .Literal(HpackStaticTable.Authority, address.Authority)
            .Literal(HpackStaticTable.ContentType, "application/grpc")
            .Literal("te", "trailers")
            .Literal(HpackStaticTable.Authorization, "Bearer " + bearerKey)
            .ToArray();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new RawGrpcConnection(socket, headers);
        try
        {
            await connection._settingsReceived.Task.WaitAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }

    /// <summary>
    /// One call: sends the requests as one client stream (HEADERS, then DATA ending the stream) and returns the single
    /// response message. Throws <see cref="RpcException"/> for a grpc-status other than OK, a reset stream, a GOAWAY
    /// that left the call unprocessed or a failed connection. The requests are serialized before this returns.
    /// </summary>
    public ValueTask<TResponse> CallAsync<TResponse>(MessageParser<TResponse> parser, params ReadOnlySpan<IMessage> requests)
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentOutOfRangeException.ThrowIfZero(requests.Length);
        Http2Stream stream;
        lock (_sync)
        {
            stream = _pool.TryPop(out var pooled) ? pooled : new Http2Stream();
        }

        stream.Prepare(requests);
        return CallCoreAsync(stream, parser);
    }

    /// <summary>
    /// Says goodbye (GOAWAY, NO_ERROR), closes the sending side and waits (up to 5 s) for the node to close its side,
    /// then closes the socket. Calls still running fail.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        lock (_sync)
        {
            _goingAway = true;
        }

        // The last stream id of a client's GOAWAY counts the server's streams, and this one never accepts any.
        _writer.WriteGoAway(0, Http2Frame.ErrorNoError);
        _writer.Complete();
        await _writer.Completion;
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            await _reader.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            // The socket is gone already, or the node keeps it open: closing it below ends the reader loop either way.
        }

        _socket.Dispose();
        await _reader;
        _writer.Dispose();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResponse> CallCoreAsync<TResponse>(Http2Stream stream, MessageParser<TResponse> parser)
        where TResponse : IMessage<TResponse>
    {
        try
        {
            if (!TryTakeSlot(stream))
            {
                await stream.WaitAsync();
                stream.ResetSignal();
            }

            await SendAsync(stream);
            await stream.WaitAsync();
            return stream.ToResponse(parser);
        }
        finally
        {
            lock (_sync)
            {
                _pool.Push(stream);
            }
        }
    }

    /// <summary>Takes a concurrency slot, or queues stream for one (false: wait for its signal).</summary>
    private bool TryTakeSlot(Http2Stream stream)
    {
        lock (_sync)
        {
            ThrowIfUnusable();
            if (_activeStreams < _maxConcurrentStreams && _slotWaiters.Count == 0)
            {
                _activeStreams++;
                return true;
            }

            _slotWaiters.Enqueue(stream);
            return false;
        }
    }

    /// <summary>
    /// Opens the stream (an id and the HEADERS, in id order because both happen under the lock) and sends the request
    /// DATA as far as the connection and stream windows and the node's frame size allow, waiting for WINDOW_UPDATEs
    /// for the rest. Returns early when the stream has ended meanwhile (reset, or answered before the request ended).
    /// </summary>
    private async ValueTask SendAsync(Http2Stream stream)
    {
        while (true)
        {
            Task windowChanged;
            lock (_sync)
            {
                if (stream.Id == 0 && !TryOpen(stream))
                {
                    return;
                }

                while (!stream.Closed && stream.RequestSent < stream.RequestLength)
                {
                    var size = (int)Math.Min(Math.Min(stream.RequestLength - stream.RequestSent, _peerMaxFrameSize), Math.Min(_sendWindow, stream.SendWindow));
                    if (size <= 0)
                    {
                        break;
                    }

                    var last = stream.RequestSent + size == stream.RequestLength;
                    _writer.Write(Http2FrameType.Data, last ? Http2Frame.FlagEndStream : (byte)0, stream.Id, stream.Request.Slice(stream.RequestSent, size));
                    stream.RequestSent += size;
                    stream.RequestEnded = last;
                    _sendWindow -= size;
                    stream.SendWindow -= size;
                }

                if (stream.Closed || stream.RequestEnded)
                {
                    return;
                }

                var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _windowWaiters.Add(waiter);
                windowChanged = waiter.Task;
            }

            await windowChanged;
        }
    }

    // Under _sync, holding a slot. On false the stream has been signalled with the failure and the slot released.
    private bool TryOpen(Http2Stream stream)
    {
        if (Unusable() is { } failure)
        {
            ReleaseSlot();
            stream.Closed = true;
            stream.Signal(failure);
            return false;
        }

        stream.Id = _nextStreamId;
        if (stream.Id == int.MaxValue)
        {
            // The last client stream id: this connection can open no more.
            _goingAway = true;
        }
        else
        {
            _nextStreamId += 2;
        }

        stream.SendWindow = _peerInitialWindow;
        _streams.Add(stream.Id, stream);
        _writer.Write(Http2FrameType.Headers, Http2Frame.FlagEndHeaders, stream.Id, _requestHeaders);
        return true;
    }

    /// <summary>
    /// Under _sync: ends a registered stream once, frees its slot for the next waiter and resumes its caller. With
    /// sendReset, a stream the node ended before the whole request went out is reset (CANCEL), so that it stops
    /// counting against the node's limit.
    /// </summary>
    private void CloseStream(Http2Stream stream, Exception? failure, bool sendReset)
    {
        if (stream.Closed)
        {
            return;
        }

        stream.Closed = true;
        _streams.Remove(stream.Id);
        if (!stream.RequestEnded)
        {
            if (sendReset && _failure is null)
            {
                _writer.WriteRstStream(stream.Id, Http2Frame.ErrorCancel);
            }

            WakeWindowWaiters();
        }

        ReleaseSlot();
        if (failure is null)
        {
            stream.Signal();
        }
        else
        {
            stream.Signal(failure);
        }
    }

    // Under _sync.
    private void ReleaseSlot()
    {
        _activeStreams--;
        GrantSlots();
    }

    // Under _sync.
    private void GrantSlots()
    {
        while (_activeStreams < _maxConcurrentStreams && _slotWaiters.TryDequeue(out var next))
        {
            _activeStreams++;
            next.Signal();
        }
    }

    // Under _sync.
    private void FailSlotWaiters(Exception failure)
    {
        while (_slotWaiters.TryDequeue(out var waiter))
        {
            waiter.Signal(failure);
        }
    }

    // Under _sync.
    private void WakeWindowWaiters()
    {
        foreach (var waiter in _windowWaiters)
        {
            waiter.TrySetResult();
        }

        _windowWaiters.Clear();
    }

    private void ThrowIfUnusable()
    {
        if (Unusable() is { } failure)
        {
            throw failure;
        }
    }

    // Under _sync: why no new stream may open here, if so.
    private RpcException? Unusable() =>
        _failure is not null ? ConnectionFailed(_failure)
        : _goingAway ? new RpcException(new Status(StatusCode.Unavailable, "The connection is going away (GOAWAY): no new calls."))
        : null;

    private static RpcException ConnectionFailed(Exception failure) =>
        new(new Status(StatusCode.Unavailable, "The HTTP/2 connection failed: " + failure.Message, failure));

    private static void WriteSetting(Span<byte> destination, ushort id, int value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, id);
        BinaryPrimitives.WriteInt32BigEndian(destination[2..], value);
    }
}
