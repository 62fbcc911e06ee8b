using System.Buffers.Binary;

namespace EvidenceChain.LoadTest.RawGrpc;

/// <summary>
/// HTTP/2 framing constants (RFC 9113) and the 9-byte frame header: 24-bit length, type, flags, reserved bit and
/// 31-bit stream id, all big-endian. Stateless.
/// </summary>
internal static class Http2Frame
{
    public const int HeaderSize = 9;

    /// <summary>The frame size every endpoint must accept; the client never asks for more.</summary>
    public const int DefaultMaxFrameSize = 16_384;

    /// <summary>The flow-control window of a new connection or stream until SETTINGS or WINDOW_UPDATE say otherwise.</summary>
    public const int DefaultWindowSize = 65_535;

    /// <summary>The largest window RFC 9113 §6.9.1 allows.</summary>
    public const int MaxWindowSize = int.MaxValue;

    public const byte FlagEndStream = 0x1;
    public const byte FlagAck = 0x1;
    public const byte FlagEndHeaders = 0x4;
    public const byte FlagPadded = 0x8;
    public const byte FlagPriority = 0x20;

    public const ushort SettingHeaderTableSize = 0x1;
    public const ushort SettingEnablePush = 0x2;
    public const ushort SettingMaxConcurrentStreams = 0x3;
    public const ushort SettingInitialWindowSize = 0x4;
    public const ushort SettingMaxFrameSize = 0x5;

    public const int ErrorNoError = 0x0;
    public const int ErrorProtocol = 0x1;
    public const int ErrorFlowControl = 0x3;
    public const int ErrorRefusedStream = 0x7;
    public const int ErrorCancel = 0x8;
    public const int ErrorFrameSize = 0x6;

    private static readonly string[] ErrorNames =
    [
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
        "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
        "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    ];

    /// <summary>What a client sends first on every connection (RFC 9113 §3.4).</summary>
    public static ReadOnlySpan<byte> ClientPreface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>Writes a frame header. Requires destination.Length >= 9, 0 &lt;= length &lt; 2^24 and streamId >= 0.</summary>
    public static void WriteHeader(Span<byte> destination, int length, Http2FrameType type, byte flags, int streamId)
    {
        destination[0] = (byte)(length >> 16);
        destination[1] = (byte)((length >> 8) & 0xFF);
        destination[2] = (byte)(length & 0xFF);
        destination[3] = (byte)type;
        destination[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], streamId);
    }

    /// <summary>Reads the frame header at the start of source (at least 9 bytes); the reserved bit is dropped.</summary>
    public static (int Length, Http2FrameType Type, byte Flags, int StreamId) ReadHeader(ReadOnlySpan<byte> source) =>
        ((source[0] << 16) | (source[1] << 8) | source[2],
         (Http2FrameType)source[3],
         source[4],
         (int)(BinaryPrimitives.ReadUInt32BigEndian(source[5..]) & 0x7FFF_FFFF));

    /// <summary>The name RFC 9113 §7 gives an error code, or its hex value for codes it does not list.</summary>
    public static string ErrorName(int code) =>
        code >= 0 && code < ErrorNames.Length ? ErrorNames[code] : "0x" + code.ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The payload of a frame that may carry padding (DATA, HEADERS): without the pad-length byte and the padding.
    /// Returns false when the padding is longer than the payload (a PROTOCOL_ERROR).
    /// </summary>
    public static bool TryRemovePadding(byte flags, ref ReadOnlySpan<byte> payload)
    {
        if ((flags & FlagPadded) == 0)
        {
            return true;
        }

        if (payload.IsEmpty || payload[0] >= payload.Length)
        {
            return false;
        }

        payload = payload[1..^payload[0]];
        return true;
    }
}
