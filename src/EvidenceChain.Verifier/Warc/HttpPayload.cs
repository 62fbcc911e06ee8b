using System.Globalization;
using System.Text;

namespace EvidenceChain.Verifier.Warc;

/// <summary>
/// Takes an <c>application/http</c> block piece by piece and hands on its payload (ISO 28500:2017 §5.9): the bytes after
/// the HTTP head, with chunked transfer coding removed and content coding kept, exactly as the node's capture computed
/// it when it wrote <c>WARC-Payload-Digest</c> (src/EvidenceChain.Capture/Warc/WarcDigests.cs): the head ends at the
/// first CRLF CRLF or LF LF; a body that is not well-formed chunked data gives what could be decoded before the fault;
/// a block without the end of a head has an empty payload.
/// </summary>
/// <remarks>
/// Not thread-safe. Buffers at most <see cref="MaxHeadBytes"/> of head and <see cref="MaxChunkLineBytes"/> of a chunk-size
/// line, never the body: a head longer than that is reported through <see cref="HeadTooLong"/>.
/// </remarks>
internal sealed class HttpPayload(Action<ReadOnlySpan<byte>> payload)
{
    /// <summary>The longest HTTP head read (the node's capture refuses longer ones).</summary>
    public const int MaxHeadBytes = 256 << 10;

    /// <summary>The longest chunk-size line read; a longer one ends decoding as malformed.</summary>
    public const int MaxChunkLineBytes = 4 << 10;

    private readonly List<byte> _head = [];
    private readonly List<byte> _line = [];
    private State _state = State.Head;
    private uint _last4;
    private long _headBytes;
    private long _chunkLeft;
    private bool _chunked;

    private enum State
    {
        Head,
        Identity,
        SizeLine,
        Data,
        AfterData,
        AfterDataCr,
        Done,
    }

    /// <summary>True when the head was longer than <see cref="MaxHeadBytes"/>: the payload could not be determined.</summary>
    public bool HeadTooLong { get; private set; }

    /// <summary>Takes the next bytes of the block.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        var pos = 0;
        while (pos < bytes.Length)
        {
            switch (_state)
            {
                case State.Head:
                    pos = ReadHead(bytes, pos);
                    break;
                case State.Identity:
                    payload(bytes[pos..]);
                    pos = bytes.Length;
                    break;
                case State.SizeLine:
                    pos = ReadSizeLine(bytes, pos);
                    break;
                case State.Data:
                    var take = (int)Math.Min(_chunkLeft, bytes.Length - pos);
                    payload(bytes.Slice(pos, take));
                    pos += take;
                    _chunkLeft -= take;
                    if (_chunkLeft == 0)
                    {
                        _state = State.AfterData;
                    }

                    break;
                case State.AfterData:
                    // The chunk's CRLF (or a bare LF) is skipped when present; anything else starts the next size line.
                    _state = bytes[pos] == '\n' ? State.SizeLine : bytes[pos] == '\r' ? State.AfterDataCr : State.SizeLine;
                    if (bytes[pos] is (byte)'\n' or (byte)'\r')
                    {
                        pos++;
                    }

                    break;
                case State.AfterDataCr:
                    _state = State.SizeLine;
                    if (bytes[pos] == '\n')
                    {
                        pos++;
                    }
                    else
                    {
                        _line.Add((byte)'\r');
                    }

                    break;
                default:
                    pos = bytes.Length;
                    break;
            }
        }
    }

    private int ReadHead(ReadOnlySpan<byte> bytes, int pos)
    {
        while (pos < bytes.Length)
        {
            var b = bytes[pos++];
            _last4 = (_last4 << 8) | b;
            _headBytes++;
            if (_head.Count < MaxHeadBytes)
            {
                _head.Add(b);
            }

            var end = (_headBytes >= 4 && _last4 == 0x0d0a0d0a) || (_headBytes >= 2 && (_last4 & 0xffff) == 0x0a0a);
            if (end)
            {
                if (_headBytes > MaxHeadBytes)
                {
                    HeadTooLong = true;
                    _state = State.Done;
                    return bytes.Length;
                }

                _chunked = IsChunked(Encoding.Latin1.GetString(_head.ToArray()));
                _state = _chunked ? State.SizeLine : State.Identity;
                return pos;
            }
        }

        return pos;
    }

    private int ReadSizeLine(ReadOnlySpan<byte> bytes, int pos)
    {
        var lf = bytes[pos..].IndexOf((byte)'\n');
        var piece = lf < 0 ? bytes[pos..] : bytes.Slice(pos, lf);
        if (_line.Count + piece.Length > MaxChunkLineBytes)
        {
            _state = State.Done;
            return bytes.Length;
        }

        foreach (var b in piece)
        {
            _line.Add(b);
        }

        if (lf < 0)
        {
            return bytes.Length;
        }

        var line = Encoding.ASCII.GetString(_line.ToArray()).TrimEnd('\r');
        _line.Clear();
        var semicolon = line.IndexOf(';', StringComparison.Ordinal);
        var sizeText = (semicolon >= 0 ? line[..semicolon] : line).Trim();
        if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size <= 0)
        {
            _state = State.Done; // the last chunk (size 0), or not chunked data: the rest is not payload
            return bytes.Length;
        }

        _chunkLeft = size;
        _state = State.Data;
        return pos + lf + 1;
    }

    /// <summary>True when the head's first Transfer-Encoding field ends in <c>chunked</c>, as the capture reads heads.</summary>
    private static bool IsChunked(string head)
    {
        var lines = head.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0)
            {
                break;
            }

            if (line[0] is ' ' or '\t' && fields.Count > 0)
            {
                fields[^1] = KeyValuePair.Create(fields[^1].Key, fields[^1].Value + " " + line.Trim());
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields.Add(KeyValuePair.Create(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        var encoding = fields.Find(f => f.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)).Value;
        return encoding is not null && encoding.Split(',')[^1].Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase);
    }
}
