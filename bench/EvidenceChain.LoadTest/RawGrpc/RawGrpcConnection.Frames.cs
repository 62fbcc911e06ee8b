using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Grpc.Core;

namespace EvidenceChain.LoadTest.RawGrpc;

/// <summary>The reader loop: frames from the node, dispatched to the calls by stream id.</summary>
internal sealed partial class RawGrpcConnection
{
    // Room for the largest frame the node may send (the client never raises SETTINGS_MAX_FRAME_SIZE) and more.
    private const int ReadBufferSize = 64 * 1024;

    // A header block this long (HEADERS plus CONTINUATIONs) is not a gRPC response.
    private const int MaxHeaderBlockSize = 64 * 1024;

    // Reader loop only.
    private readonly HpackDecoder _decoder = new();
    private readonly ArrayBufferWriter<byte> _headerBlock = new(1024);
    private int _continuationStreamId;
    private bool _continuationEndsStream;
    private int _unacknowledgedBytes;

    private async Task ReadLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        var length = 0;
        Exception failure;
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None);
                if (read == 0)
                {
                    failure = new IOException("The node closed the connection.");
                    break;
                }

                length += read;
                var consumed = ReadFrames(buffer.AsSpan(0, length));
                buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
                length -= consumed;
            }
        }
        catch (Exception e)
        {
            // Whatever stops the loop (the socket, the node breaking the protocol, a bug here) must fail the calls
            // rather than leave them waiting; each call's RpcException carries it.
            failure = e;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Traffic.HuffmanStrings = _decoder.HuffmanStrings;
        Abort(failure);
    }

    /// <summary>Handles the whole frames at the start of data and returns how many bytes they took.</summary>
    private int ReadFrames(ReadOnlySpan<byte> data)
    {
        var consumed = 0;
        while (data.Length - consumed >= Http2Frame.HeaderSize)
        {
            var (length, type, flags, streamId) = Http2Frame.ReadHeader(data[consumed..]);
            if (length > Http2Frame.DefaultMaxFrameSize)
            {
                throw new Http2ConnectionException(Http2Frame.ErrorFrameSize, $"A {type} frame of {length} bytes, beyond SETTINGS_MAX_FRAME_SIZE.");
            }

            if (data.Length - consumed < Http2Frame.HeaderSize + length)
            {
                break;
            }

            OnFrame(type, flags, streamId, data.Slice(consumed + Http2Frame.HeaderSize, length));
            consumed += Http2Frame.HeaderSize + length;
        }

        return consumed;
    }

    private void OnFrame(Http2FrameType type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        Traffic.CountFrame(type);
        if (_continuationStreamId != 0 && type != Http2FrameType.Continuation)
        {
            throw ProtocolError($"A {type} frame inside a header block; only CONTINUATION may follow.");
        }

        switch (type)
        {
            case Http2FrameType.Data:
                OnData(flags, streamId, payload);
                break;
            case Http2FrameType.Headers:
                OnHeaders(flags, streamId, payload);
                break;
            case Http2FrameType.Continuation:
                OnContinuation(flags, streamId, payload);
                break;
            case Http2FrameType.RstStream:
                OnRstStream(streamId, payload);
                break;
            case Http2FrameType.Settings:
                OnSettings(flags, streamId, payload);
                break;
            case Http2FrameType.Ping:
                OnPing(flags, streamId, payload);
                break;
            case Http2FrameType.GoAway:
                OnGoAway(streamId, payload);
                break;
            case Http2FrameType.WindowUpdate:
                OnWindowUpdate(streamId, payload);
                break;
            case Http2FrameType.PushPromise:
                throw ProtocolError("PUSH_PROMISE although SETTINGS_ENABLE_PUSH is 0.");
            default:
                // PRIORITY and extension frames ask nothing of a client.
                break;
        }
    }

    private void OnData(byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        RequireStream(streamId, "DATA");

        // Flow control counts the whole payload, padding included, and also for streams that have ended here.
        _unacknowledgedBytes += payload.Length;
        if (_unacknowledgedBytes >= ReceiveConnectionWindow / 2)
        {
            _writer.WriteWindowUpdate(0, _unacknowledgedBytes);
            _unacknowledgedBytes = 0;
        }

        var frameLength = payload.Length;
        if (!Http2Frame.TryRemovePadding(flags, ref payload))
        {
            throw ProtocolError("DATA padding longer than the frame.");
        }

        lock (_sync)
        {
            if (!_streams.TryGetValue(streamId, out var stream))
            {
                Traffic.FramesForClosedStreams++;
                return;
            }

            stream.AppendResponse(payload);
            if ((flags & Http2Frame.FlagEndStream) != 0)
            {
                // No trailers: the call fails for want of a grpc-status.
                CloseStream(stream, null, sendReset: true);
                return;
            }

            stream.UnacknowledgedBytes += frameLength;
            if (stream.UnacknowledgedBytes >= ReceiveStreamWindow / 2)
            {
                _writer.WriteWindowUpdate(streamId, stream.UnacknowledgedBytes);
                stream.UnacknowledgedBytes = 0;
            }
        }
    }

    private void OnHeaders(byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        RequireStream(streamId, "HEADERS");
        if (!Http2Frame.TryRemovePadding(flags, ref payload))
        {
            throw ProtocolError("HEADERS padding longer than the frame.");
        }

        if ((flags & Http2Frame.FlagPriority) != 0)
        {
            if (payload.Length < 5)
            {
                throw ProtocolError("HEADERS too short for its priority fields.");
            }

            payload = payload[5..];
        }

        var endsStream = (flags & Http2Frame.FlagEndStream) != 0;
        if ((flags & Http2Frame.FlagEndHeaders) != 0)
        {
            OnHeaderBlock(streamId, endsStream, payload);
            return;
        }

        _continuationStreamId = streamId;
        _continuationEndsStream = endsStream;
        _headerBlock.ResetWrittenCount();
        _headerBlock.Write(payload);
    }

    private void OnContinuation(byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        if (streamId == 0 || streamId != _continuationStreamId)
        {
            throw ProtocolError($"CONTINUATION on stream {streamId} without a header block open on it.");
        }

        if (_headerBlock.WrittenCount + payload.Length > MaxHeaderBlockSize)
        {
            throw ProtocolError($"A header block longer than {MaxHeaderBlockSize} bytes.");
        }

        _headerBlock.Write(payload);
        if ((flags & Http2Frame.FlagEndHeaders) != 0)
        {
            _continuationStreamId = 0;
            OnHeaderBlock(streamId, _continuationEndsStream, _headerBlock.WrittenSpan);
        }
    }

    /// <summary>The response headers (or, trailers-only, headers and trailers at once), then the trailers.</summary>
    private void OnHeaderBlock(int streamId, bool endsStream, ReadOnlySpan<byte> block)
    {
        lock (_sync)
        {
            _streams.TryGetValue(streamId, out var stream);

            // Decoded even for a stream that has ended here: a malformed block is a connection error all the same.
            _decoder.Decode(block, (IHpackHeaderSink?)stream ?? DiscardingSink.Instance);
            if (stream is null)
            {
                Traffic.FramesForClosedStreams++;
                return;
            }

            if (stream.HeadersReceived && !endsStream)
            {
                CloseStream(stream, new RpcException(new Status(StatusCode.Internal, "Trailers without END_STREAM.")), sendReset: true);
                return;
            }

            stream.HeadersReceived = true;
            if (endsStream)
            {
                CloseStream(stream, null, sendReset: true);
            }
        }
    }

    private void OnRstStream(int streamId, ReadOnlySpan<byte> payload)
    {
        RequireStream(streamId, "RST_STREAM");
        RequireLength(payload, 4, "RST_STREAM");
        var code = BinaryPrimitives.ReadInt32BigEndian(payload);
        lock (_sync)
        {
            if (!_streams.TryGetValue(streamId, out var stream))
            {
                Traffic.FramesForClosedStreams++;
                return;
            }

            var status = code == Http2Frame.ErrorRefusedStream ? StatusCode.Unavailable : StatusCode.Internal;
            CloseStream(stream, new RpcException(new Status(status, $"The node reset the stream: RST_STREAM {Http2Frame.ErrorName(code)}.")), sendReset: false);
        }
    }

    private void OnSettings(byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        RequireConnection(streamId, "SETTINGS");
        if ((flags & Http2Frame.FlagAck) != 0)
        {
            RequireLength(payload, 0, "SETTINGS ACK");
            return;
        }

        if (payload.Length % 6 != 0)
        {
            throw new Http2ConnectionException(Http2Frame.ErrorFrameSize, $"SETTINGS of {payload.Length} bytes, not a multiple of 6.");
        }

        lock (_sync)
        {
            for (var entry = payload; !entry.IsEmpty; entry = entry[6..])
            {
                var value = BinaryPrimitives.ReadUInt32BigEndian(entry[2..]);
                switch (BinaryPrimitives.ReadUInt16BigEndian(entry))
                {
                    case Http2Frame.SettingMaxConcurrentStreams:
                        _maxConcurrentStreams = (int)Math.Min(value, int.MaxValue);
                        break;
                    case Http2Frame.SettingInitialWindowSize:
                        if (value > Http2Frame.MaxWindowSize)
                        {
                            throw new Http2ConnectionException(Http2Frame.ErrorFlowControl, $"SETTINGS_INITIAL_WINDOW_SIZE {value} beyond 2^31 - 1.");
                        }

                        // RFC 9113 §6.9.2: the change applies to the windows of the open streams too.
                        foreach (var stream in _streams.Values)
                        {
                            stream.SendWindow += (int)value - _peerInitialWindow;
                        }

                        _peerInitialWindow = (int)value;
                        break;
                    case Http2Frame.SettingMaxFrameSize:
                        if (value is < Http2Frame.DefaultMaxFrameSize or > (1 << 24) - 1)
                        {
                            throw ProtocolError($"SETTINGS_MAX_FRAME_SIZE {value} outside 2^14 .. 2^24 - 1.");
                        }

                        _peerMaxFrameSize = (int)value;
                        break;
                    default:
                        // The node's own HPACK table size (this encoder never indexes), header list size, extensions.
                        break;
                }
            }

            _writer.Write(Http2FrameType.Settings, Http2Frame.FlagAck, 0, []);
            GrantSlots();
            WakeWindowWaiters();
        }

        _settingsReceived.TrySetResult();
    }

    private void OnPing(byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        RequireConnection(streamId, "PING");
        RequireLength(payload, 8, "PING");
        if ((flags & Http2Frame.FlagAck) == 0)
        {
            _writer.Write(Http2FrameType.Ping, Http2Frame.FlagAck, 0, payload);
        }
    }

    private void OnGoAway(int streamId, ReadOnlySpan<byte> payload)
    {
        RequireConnection(streamId, "GOAWAY");
        if (payload.Length < 8)
        {
            throw new Http2ConnectionException(Http2Frame.ErrorFrameSize, "GOAWAY shorter than 8 bytes.");
        }

        var lastStreamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFF_FFFF);
        var code = Http2Frame.ErrorName(BinaryPrimitives.ReadInt32BigEndian(payload[4..]));
        var debug = payload.Length > 8 ? ": " + Encoding.UTF8.GetString(payload[8..]) : "";
        Traffic.AddGoAway($"last stream {lastStreamId}, {code}{debug}");
        lock (_sync)
        {
            _goingAway = true;
            var unprocessed = new RpcException(new Status(StatusCode.Unavailable, $"The node is going away (GOAWAY {code}) and did not process this call."));
            foreach (var stream in _streams.Values.Where(s => s.Id > lastStreamId).ToList())
            {
                CloseStream(stream, unprocessed, sendReset: false);
            }

            FailSlotWaiters(unprocessed);
        }
    }

    private void OnWindowUpdate(int streamId, ReadOnlySpan<byte> payload)
    {
        RequireLength(payload, 4, "WINDOW_UPDATE");
        var increment = (int)(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFF_FFFF);
        if (increment == 0)
        {
            throw ProtocolError($"WINDOW_UPDATE of 0 on stream {streamId}.");
        }

        lock (_sync)
        {
            if (streamId == 0)
            {
                _sendWindow += increment;
                if (_sendWindow > Http2Frame.MaxWindowSize)
                {
                    throw new Http2ConnectionException(Http2Frame.ErrorFlowControl, "WINDOW_UPDATE takes the connection window beyond 2^31 - 1.");
                }
            }
            else if (_streams.TryGetValue(streamId, out var stream))
            {
                stream.SendWindow += increment;
                if (stream.SendWindow > Http2Frame.MaxWindowSize)
                {
                    throw new Http2ConnectionException(Http2Frame.ErrorFlowControl, $"WINDOW_UPDATE takes the window of stream {streamId} beyond 2^31 - 1.");
                }
            }

            // A WINDOW_UPDATE for a stream that has ended here is normal: it crossed the stream's last frames.
            WakeWindowWaiters();
        }
    }

    /// <summary>Fails every call on the connection, once, and stops the writer (after a GOAWAY for a protocol error).</summary>
    private void Abort(Exception failure)
    {
        lock (_sync)
        {
            if (_failure is not null)
            {
                return;
            }

            _failure = failure;
            var callFailure = ConnectionFailed(failure);
            foreach (var stream in _streams.Values.ToList())
            {
                CloseStream(stream, callFailure, sendReset: false);
            }

            FailSlotWaiters(callFailure);
            WakeWindowWaiters();
            _settingsReceived.TrySetException(callFailure);
        }

        if (failure is Http2ConnectionException protocolError)
        {
            _writer.WriteGoAway(0, protocolError.ErrorCode);
        }

        _writer.Complete();
    }

    private static void RequireStream(int streamId, string frame)
    {
        if (streamId == 0)
        {
            throw ProtocolError($"{frame} on stream 0.");
        }
    }

    private static void RequireConnection(int streamId, string frame)
    {
        if (streamId != 0)
        {
            throw ProtocolError($"{frame} on stream {streamId} instead of 0.");
        }
    }

    private static void RequireLength(ReadOnlySpan<byte> payload, int length, string frame)
    {
        if (payload.Length != length)
        {
            throw new Http2ConnectionException(Http2Frame.ErrorFrameSize, $"{frame} of {payload.Length} bytes instead of {length}.");
        }
    }

    private static Http2ConnectionException ProtocolError(string message) => new(Http2Frame.ErrorProtocol, message);

    /// <summary>Takes the fields of header blocks for streams that have already ended here.</summary>
    private sealed class DiscardingSink : IHpackHeaderSink
    {
        public static readonly DiscardingSink Instance = new();

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
        }
    }
}
