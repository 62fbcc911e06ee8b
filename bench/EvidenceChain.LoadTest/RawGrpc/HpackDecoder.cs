namespace EvidenceChain.LoadTest.RawGrpc;

/// <summary>
/// Decodes the header blocks of one connection (RFC 7541) when the client has set SETTINGS_HEADER_TABLE_SIZE to 0:
/// the static table, the three literal representations and Huffman strings. With a dynamic table of size 0 an entry
/// "added" by a literal with incremental indexing is evicted at once (§4.4), so there is no dynamic state and any
/// index past the static table is an error. Not thread-safe: one reader loop owns it.
/// </summary>
internal sealed class HpackDecoder
{
    private const int CompressionError = 0x9;

    // Integers beyond this are nonsense in a header block and would overflow the decoding.
    private const int MaxInteger = (1 << 24) - 1;

    private byte[] _huffman = new byte[512];

    /// <summary>How many Huffman-coded strings this decoder has met (the node's encoder may or may not use them).</summary>
    public long HuffmanStrings { get; private set; }

    /// <summary>Decodes a complete header block (all CONTINUATION fragments joined) and hands each field to sink.</summary>
    public void Decode(ReadOnlySpan<byte> block, IHpackHeaderSink sink)
    {
        // Two Huffman strings per field at most, each decoding to at most 8/5 of its length.
        var room = HpackHuffman.MaxDecodedLength(block.Length);
        if (_huffman.Length < room)
        {
            _huffman = new byte[Math.Max(room, _huffman.Length * 2)];
        }

        while (!block.IsEmpty)
        {
            var first = block[0];
            if ((first & 0x80) != 0)
            {
                // Indexed field (§6.1).
                var index = ReadInteger(ref block, 7);
                if (!HpackStaticTable.TryGet(index, out var name, out var value))
                {
                    throw new Http2ConnectionException(CompressionError, $"HPACK: index {index} is not in the static table and the dynamic table is empty.");
                }

                sink.OnHeader(name, value);
            }
            else if ((first & 0xE0) == 0x20)
            {
                // Dynamic table size update (§6.3): only 0 is within what SETTINGS_HEADER_TABLE_SIZE allowed.
                var size = ReadInteger(ref block, 5);
                if (size != 0)
                {
                    throw new Http2ConnectionException(CompressionError, $"HPACK: table size update to {size} beyond the 0 allowed.");
                }
            }
            else
            {
                // Literal with incremental indexing (01, 6-bit index), without indexing (0000) or never indexed (0001).
                ReadLiteral(ref block, (first & 0x40) != 0 ? 6 : 4, sink);
            }
        }
    }

    private void ReadLiteral(ref ReadOnlySpan<byte> block, int prefixBits, IHpackHeaderSink sink)
    {
        var nameIndex = ReadInteger(ref block, prefixBits);
        var used = 0;
        ReadOnlySpan<byte> name;
        if (nameIndex == 0)
        {
            name = ReadString(ref block, ref used);
        }
        else if (!HpackStaticTable.TryGet(nameIndex, out name, out _))
        {
            throw new Http2ConnectionException(CompressionError, $"HPACK: name index {nameIndex} is not in the static table and the dynamic table is empty.");
        }

        var value = ReadString(ref block, ref used);
        sink.OnHeader(name, value);
    }

    private ReadOnlySpan<byte> ReadString(scoped ref ReadOnlySpan<byte> block, scoped ref int used)
    {
        if (block.IsEmpty)
        {
            throw Truncated();
        }

        var huffman = (block[0] & 0x80) != 0;
        var length = ReadInteger(ref block, 7);
        if (length > block.Length)
        {
            throw Truncated();
        }

        var raw = block[..length];
        block = block[length..];
        if (!huffman)
        {
            return raw;
        }

        HuffmanStrings++;
        var decoded = _huffman.AsSpan(used);
        var written = HpackHuffman.Decode(raw, decoded);
        used += written;
        return decoded[..written];
    }

    /// <summary>An HPACK integer (§5.1) whose first byte keeps its value in the low prefixBits bits.</summary>
    private static int ReadInteger(ref ReadOnlySpan<byte> block, int prefixBits)
    {
        if (block.IsEmpty)
        {
            throw Truncated();
        }

        var mask = (1 << prefixBits) - 1;
        var value = block[0] & mask;
        block = block[1..];
        if (value < mask)
        {
            return value;
        }

        for (var shift = 0; ; shift += 7)
        {
            if (block.IsEmpty)
            {
                throw Truncated();
            }

            if (shift > 21)
            {
                throw new Http2ConnectionException(CompressionError, "HPACK: an integer is out of range.");
            }

            var next = block[0];
            block = block[1..];
            value += (next & 0x7F) << shift;
            if (value > MaxInteger)
            {
                throw new Http2ConnectionException(CompressionError, "HPACK: an integer is out of range.");
            }

            if ((next & 0x80) == 0)
            {
                return value;
            }
        }
    }

    private static Http2ConnectionException Truncated() => new(CompressionError, "HPACK: the header block ends inside a field.");
}
