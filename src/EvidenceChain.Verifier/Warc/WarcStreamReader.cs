using System.Globalization;
using System.Text;

namespace EvidenceChain.Verifier.Warc;

/// <summary>
/// Reads an uncompressed WARC/1.0 or WARC/1.1 file (ISO 28500:2017) record by record from a stream, without ever
/// holding more than one record head: the head (version line and fields, up to CRLF CRLF, at most
/// <see cref="MaxHeadBytes"/>), then the block, handed on in pieces, then the CRLF CRLF that ends the record.
/// </summary>
/// <remarks>
/// Not thread-safe. Does not own the stream. Every fault of the input is a <see cref="FormatException"/> naming the
/// offset; nothing else is thrown for any input (cancellation and the stream's own errors aside).
/// </remarks>
internal sealed class WarcStreamReader(Stream source)
{
    /// <summary>The longest record head read, in bytes.</summary>
    public const int MaxHeadBytes = 256 << 10;

    private const int MaxFields = 1024;
    private readonly byte[] _buffer = new byte[MaxHeadBytes];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>Bytes of the file consumed so far: the offset of what is read next.</summary>
    public long Offset { get; private set; }

    /// <summary>The first byte of the file, once something was read (a gzip-compressed WARC starts with 0x1f).</summary>
    public async Task<int> PeekAsync(CancellationToken cancellationToken) =>
        _end > _start || await FillAsync(cancellationToken) ? _buffer[_start] : -1;

    /// <summary>Reads the next record's head; null at the end of the file.</summary>
    /// <exception cref="FormatException">The head is malformed, too long or cut short.</exception>
    public async Task<WarcHead?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var at = Offset;
        var scanned = 0;
        while (true)
        {
            var end = FindHeadEnd(scanned);
            if (end >= 0)
            {
                var head = Parse(_buffer.AsSpan(_start, end), at);
                Consume(end + 4);
                return head;
            }

            var available = _end - _start;
            scanned = available;
            if (available >= MaxHeadBytes)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"at offset {at}: no end of a record head (CRLF CRLF) within {MaxHeadBytes} bytes"));
            }

            if (!await FillAsync(cancellationToken))
            {
                if (available == 0)
                {
                    return null;
                }

                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"at offset {at}: the file ends inside a record head ({available} bytes, no CRLF CRLF): the WARC is truncated"));
            }
        }
    }

    // Where CRLF CRLF starts in the buffered bytes, looking again only at the last 3 bytes already scanned; -1 if not yet.
    private int FindHeadEnd(int scanned)
    {
        var from = Math.Max(0, scanned - 3);
        var end = _buffer.AsSpan(_start + from, _end - _start - from).IndexOf("\r\n\r\n"u8);
        return end < 0 ? -1 : end + from;
    }

    /// <summary>Reads <paramref name="length"/> bytes of block, handing each piece to <paramref name="block"/>.</summary>
    /// <returns>The bytes read: fewer than <paramref name="length"/> when the file ended first.</returns>
    public async Task<long> ReadBlockAsync(long length, Action<ReadOnlyMemory<byte>> block, CancellationToken cancellationToken)
    {
        var left = length;
        while (left > 0)
        {
            if (_end == _start && !await FillAsync(cancellationToken))
            {
                break;
            }

            var take = (int)Math.Min(left, _end - _start);
            block(_buffer.AsMemory(_start, take));
            Consume(take);
            left -= take;
        }

        return length - left;
    }

    /// <summary>Reads the CRLF CRLF that ends a record.</summary>
    /// <exception cref="FormatException">Something else follows the block.</exception>
    public async Task ReadRecordEndAsync(CancellationToken cancellationToken)
    {
        var at = Offset;
        while (_end - _start < 4 && await FillAsync(cancellationToken))
        {
        }

        if (!_buffer.AsSpan(_start, _end - _start).StartsWith("\r\n\r\n"u8))
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"at offset {at}: the block is not followed by CRLF CRLF (a wrong Content-Length, or bytes added or removed)"));
        }

        Consume(4);
    }

    private void Consume(int count)
    {
        _start += count;
        Offset += count;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_eof)
        {
            return false;
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            return true;
        }

        var read = await source.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            _eof = true;
            return false;
        }

        _end += read;
        return true;
    }

    private static WarcHead Parse(ReadOnlySpan<byte> bytes, long at)
    {
        var lines = Encoding.UTF8.GetString(bytes).Split("\r\n");
        if (lines[0] is not ("WARC/1.1" or "WARC/1.0"))
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"at offset {at}: expected a record's version line WARC/1.1, found \"{Core.Text.UntrustedText.Printable(lines[0], 40)}\""));
        }

        if (lines.Length > MaxFields)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"at offset {at}: more than {MaxFields} header fields"));
        }

        var fields = new List<KeyValuePair<string, string>>(lines.Length);
        foreach (var line in lines.Skip(1))
        {
            if (line.Length > 0 && line[0] is ' ' or '\t' && fields.Count > 0)
            {
                fields[^1] = KeyValuePair.Create(fields[^1].Key, fields[^1].Value + " " + line.Trim());
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                    $"at offset {at}: a header line that is not \"Name: value\": \"{Core.Text.UntrustedText.Printable(line, 60)}\""));
            }

            fields.Add(KeyValuePair.Create(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        return new WarcHead(at, fields);
    }
}
