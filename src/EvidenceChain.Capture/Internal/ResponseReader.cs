using System.Globalization;
using EvidenceChain.Core.Text;

namespace EvidenceChain.Capture.Internal;

/// <summary>
/// Reads one HTTP/1.x response from a connection, keeping every byte read (the raw record) and finding where the
/// message ends: after interim 1xx responses, by chunked framing, Content-Length, or the connection's close. The body of
/// a redirect (a 3xx with a Location) is read up to a small limit of its own and then cut (<see cref="Truncated"/>):
/// it is recorded, but a redirect chain cannot make the node hold a full response per hop.
/// </summary>
internal sealed class ResponseReader : IDisposable
{
    private const int MaxHeadBytes = 256 * 1024;
    private readonly Stream _stream;
    private static readonly int[] RedirectStatuses = [301, 302, 303, 307, 308];
    private readonly long _redirectBodyLimit;
    private readonly MemoryStream _raw = new();
    private long _limit;
    private bool _cutQuietly;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private bool _eof;

    public ResponseReader(Stream stream, long limit, long redirectBodyLimit)
    {
        _stream = stream;
        _limit = limit;
        _redirectBodyLimit = redirectBodyLimit;
    }

    /// <summary>True when a redirect's body was cut at its limit (the rest was not read).</summary>
    public bool Truncated { get; private set; }

    /// <summary>True for a redirect the capture follows: 301, 302, 303, 307 or 308 with a Location.</summary>
    public static bool IsRedirect(HttpHead head) => RedirectStatuses.Contains(head.StatusCode) && head.Get("Location") is { Length: > 0 };

    /// <summary>True for the response to a HEAD request: it has no body, whatever its fields say.</summary>
    public bool HeadOnly { get; init; }

    /// <summary>Called once, when the first byte of the response arrives.</summary>
    public Action? FirstByte { get; set; }

    /// <summary>Everything read so far.</summary>
    public byte[] Raw => _raw.ToArray();

    /// <summary>
    /// Reads the response. Returns its final head and payload; throws <see cref="ResponseTooLargeException"/> at the
    /// size limit and <see cref="EndOfStreamException"/> when the connection closes early (what was read stays in <see cref="Raw"/>).
    /// </summary>
    public async Task<(HttpHead Head, byte[] Payload)> ReadAsync(CancellationToken ct)
    {
        var start = 0;
        while (true)
        {
            var headEnd = await ReadHeadAsync(start, ct);
            var head = HttpHead.Parse(_raw.GetBuffer().AsSpan(start, headEnd - start));
            var status = head.StatusCode;
            if (status == 0)
            {
                throw new InvalidDataException($"the response does not start with an HTTP/1.x status line (got \"{UntrustedText.Printable(head.StartLine, 60)}\")");
            }

            if (status is >= 100 and < 200 && status != 101)
            {
                start = headEnd; // interim response: recorded, then the real one follows
                continue;
            }

            return (head, await ReadBodyAsync(head, headEnd, ct));
        }
    }

    private async Task<int> ReadHeadAsync(int start, CancellationToken ct)
    {
        while (true)
        {
            var end = HttpHead.FindEnd(_raw.GetBuffer().AsSpan(start, (int)_raw.Length - start));
            if (end >= 0)
            {
                return start + end;
            }

            if (_raw.Length - start > MaxHeadBytes)
            {
                throw new InvalidDataException($"the response head is longer than {MaxHeadBytes} bytes");
            }

            if (!await FillAsync(ct))
            {
                throw new EndOfStreamException(_raw.Length == start
                    ? "the server closed the connection without answering"
                    : "the server closed the connection in the middle of the response head");
            }
        }
    }

    private async Task<byte[]> ReadBodyAsync(HttpHead head, int bodyStart, CancellationToken ct)
    {
        if (HeadOnly || head.StatusCode is 204 or 304)
        {
            return [];
        }

        if (IsRedirect(head) && _redirectBodyLimit < _limit - bodyStart)
        {
            _limit = bodyStart + _redirectBodyLimit;
            _cutQuietly = true;
        }

        if (head.IsChunked)
        {
            var scan = new ChunkScan(bodyStart);
            while (!scan.Advance(_raw.GetBuffer().AsSpan(0, (int)_raw.Length)))
            {
                if (!await FillAsync(ct))
                {
                    if (Truncated)
                    {
                        HttpHead.TryDechunk(_raw.GetBuffer().AsSpan(bodyStart, (int)_raw.Length - bodyStart), out var part);
                        return part;
                    }

                    throw new EndOfStreamException("the server closed the connection in the middle of the chunked body");
                }
            }

            HttpHead.TryDechunk(_raw.GetBuffer().AsSpan(bodyStart, scan.End - bodyStart), out var payload);
            return payload;
        }

        if (head.ContentLength is { } length)
        {
            while (_raw.Length - bodyStart < length)
            {
                if (!await FillAsync(ct))
                {
                    if (Truncated)
                    {
                        return _raw.GetBuffer().AsSpan(bodyStart, (int)_raw.Length - bodyStart).ToArray();
                    }

                    throw new EndOfStreamException(string.Create(CultureInfo.InvariantCulture,
                        $"the server closed the connection after {_raw.Length - bodyStart} of {length} body bytes (Content-Length)"));
                }
            }

            return _raw.GetBuffer().AsSpan(bodyStart, (int)length).ToArray();
        }

        while (await FillAsync(ct))
        {
        }

        return _raw.GetBuffer().AsSpan(bodyStart, (int)_raw.Length - bodyStart).ToArray();
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_eof || Truncated)
        {
            return false;
        }

        var read = await _stream.ReadAsync(_buffer, ct);
        if (read == 0)
        {
            _eof = true;
            return false;
        }

        if (_raw.Length == 0)
        {
            FirstByte?.Invoke();
        }

        var room = _limit - _raw.Length;
        if (read > room)
        {
            _raw.Write(_buffer, 0, (int)room);
            if (_cutQuietly)
            {
                Truncated = true;
                return false;
            }

            throw new ResponseTooLargeException();
        }

        _raw.Write(_buffer, 0, read);
        return true;
    }

    public void Dispose() => _raw.Dispose();

    /// <summary>Finds the end of a chunked body incrementally, resuming where the last call stopped.</summary>
    private sealed class ChunkScan(int start)
    {
        private int _pos = start;
        private bool _trailers;

        public int End { get; private set; }

        public bool Advance(ReadOnlySpan<byte> data)
        {
            while (true)
            {
                var nl = data[_pos..].IndexOf((byte)'\n');
                if (nl < 0)
                {
                    return false;
                }

                var line = data.Slice(_pos, nl).TrimEnd((byte)'\r');
                if (_trailers)
                {
                    _pos += nl + 1;
                    if (line.IsEmpty)
                    {
                        End = _pos;
                        return true;
                    }

                    continue;
                }

                var semicolon = line.IndexOf((byte)';');
                var sizeText = System.Text.Encoding.ASCII.GetString(semicolon >= 0 ? line[..semicolon] : line).Trim();
                if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
                {
                    throw new InvalidDataException($"malformed chunk size line \"{UntrustedText.Printable(sizeText, 60)}\"");
                }

                if (size == 0)
                {
                    _pos += nl + 1;
                    _trailers = true;
                    continue;
                }

                var next = _pos + nl + 1 + size;
                if (data.Length < next + 1)
                {
                    return false;
                }

                var crlf = data.Length >= next + 2 && data[(int)next] == '\r' && data[(int)next + 1] == '\n' ? 2 : data[(int)next] == '\n' ? 1 : -1;
                if (crlf < 0)
                {
                    if (data[(int)next] == '\r')
                    {
                        return false; // the LF has not arrived yet
                    }

                    throw new InvalidDataException("a chunk is not followed by CRLF");
                }

                _pos = (int)next + crlf;
            }
        }
    }
}
