using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Threading.Tasks.Sources;
using Google.Protobuf;
using Grpc.Core;

namespace EvidenceChain.LoadTest.RawGrpc;

/// <summary>
/// One gRPC call on one HTTP/2 stream, reused from call to call through the connection's pool. The caller fills the
/// request before the stream opens; under the connection's lock the stream carries its id, send window and state;
/// the connection's reader loop alone fills the response until it signals completion, after which the caller reads
/// it. The same signal first hands the stream a concurrency slot when it had to queue for one.
/// </summary>
internal sealed class Http2Stream : IValueTaskSource, IHpackHeaderSink
{
    private const int GrpcMessageHeaderSize = 5;

    private ManualResetValueTaskSourceCore<bool> _signal = new() { RunContinuationsAsynchronously = true };
    private byte[] _request = new byte[2048];
    private byte[] _response = new byte[4096];
    private int _responseLength;

    /// <summary>The stream id; 0 until the stream opens.</summary>
    public int Id { get; set; }

    /// <summary>What the node still lets this stream send (its SETTINGS_INITIAL_WINDOW_SIZE plus WINDOW_UPDATEs, minus DATA sent).</summary>
    public long SendWindow { get; set; }

    /// <summary>The request body: gRPC length-prefixed messages.</summary>
    public ReadOnlySpan<byte> Request => _request.AsSpan(0, RequestLength);

    public int RequestLength { get; private set; }

    public int RequestSent { get; set; }

    /// <summary>END_STREAM has been sent.</summary>
    public bool RequestEnded { get; set; }

    /// <summary>END_STREAM or RST_STREAM has arrived, or the connection failed: the stream holds no slot any more.</summary>
    public bool Closed { get; set; }

    /// <summary>The response HEADERS have arrived (the next HEADERS are the trailers).</summary>
    public bool HeadersReceived { get; set; }

    /// <summary>Response DATA bytes consumed since the last stream WINDOW_UPDATE.</summary>
    public int UnacknowledgedBytes { get; set; }

    public int HttpStatus { get; private set; }

    public int GrpcStatus { get; private set; }

    public string? GrpcMessage { get; private set; }

    /// <summary>Makes the stream ready for a new call and serializes the requests as gRPC messages (uncompressed).</summary>
    public void Prepare(ReadOnlySpan<IMessage> requests)
    {
        _signal.Reset();
        (Id, SendWindow, RequestSent, RequestEnded, Closed, HeadersReceived, UnacknowledgedBytes) = (0, 0, 0, false, false, false, 0);
        (HttpStatus, GrpcStatus, GrpcMessage, _responseLength) = (0, -1, null, 0);
        var length = 0;
        foreach (var message in requests)
        {
            var size = message.CalculateSize();
            EnsureCapacity(ref _request, length, GrpcMessageHeaderSize + size);
            _request[length] = 0;
            BinaryPrimitives.WriteInt32BigEndian(_request.AsSpan(length + 1), size);
            message.WriteTo(_request.AsSpan(length + GrpcMessageHeaderSize, size));
            length += GrpcMessageHeaderSize + size;
        }

        RequestLength = length;
    }

    public void AppendResponse(ReadOnlySpan<byte> data)
    {
        EnsureCapacity(ref _response, _responseLength, data.Length);
        data.CopyTo(_response.AsSpan(_responseLength));
        _responseLength += data.Length;
    }

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (name.SequenceEqual(":status"u8))
        {
            HttpStatus = ParseNumber(value);
        }
        else if (name.SequenceEqual("grpc-status"u8))
        {
            GrpcStatus = ParseNumber(value);
        }
        else if (name.SequenceEqual("grpc-message"u8))
        {
            GrpcMessage = Uri.UnescapeDataString(Encoding.UTF8.GetString(value));
        }
    }

    /// <summary>
    /// The call's outcome once the response has ended: the one response message, or an <see cref="RpcException"/>
    /// for a status other than HTTP 200 with grpc-status 0, or a body that is not exactly one uncompressed message.
    /// </summary>
    public TResponse ToResponse<TResponse>(MessageParser<TResponse> parser)
        where TResponse : IMessage<TResponse>
    {
        if (HttpStatus != 200)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Bad gRPC response: HTTP status {HttpStatus}."));
        }

        if (GrpcStatus < 0)
        {
            throw new RpcException(new Status(StatusCode.Internal, "The response ended without grpc-status."));
        }

        if (GrpcStatus != 0)
        {
            throw new RpcException(new Status((StatusCode)GrpcStatus, GrpcMessage ?? ""));
        }

        var body = _response.AsSpan(0, _responseLength);
        if (body.Length < GrpcMessageHeaderSize || body[0] != 0
            || BinaryPrimitives.ReadUInt32BigEndian(body[1..]) != (uint)(body.Length - GrpcMessageHeaderSize))
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Expected one uncompressed response message, got {body.Length} bytes."));
        }

        return parser.ParseFrom(body[GrpcMessageHeaderSize..]);
    }

    /// <summary>Resumes the caller's pending <see cref="WaitAsync"/>: slot granted, or response complete.</summary>
    public void Signal() => _signal.SetResult(true);

    /// <summary>Resumes the caller's pending <see cref="WaitAsync"/> with a failure.</summary>
    public void Signal(Exception failure) => _signal.SetException(failure);

    public ValueTask WaitAsync() => new(this, _signal.Version);

    /// <summary>Called between the two waits of a call that queued for a slot.</summary>
    public void ResetSignal() => _signal.Reset();

    void IValueTaskSource.GetResult(short token) => _signal.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _signal.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _signal.OnCompleted(continuation, state, token, flags);

    private static int ParseNumber(ReadOnlySpan<byte> value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : -1;

    private static void EnsureCapacity(ref byte[] buffer, int used, int more)
    {
        if (used + more > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, used + more));
        }
    }
}
