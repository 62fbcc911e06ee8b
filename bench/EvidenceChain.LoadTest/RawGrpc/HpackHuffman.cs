namespace EvidenceChain.LoadTest.RawGrpc;

/// <summary>
/// Decodes HPACK Huffman strings (RFC 7541 §5.2 and Appendix B). The code is canonical: codes of one length are
/// consecutive in symbol order and each length continues where the shorter one stopped, so the table below only
/// needs the bit length of each symbol; the codes follow from it. Stateless and thread-safe.
/// </summary>
internal static class HpackHuffman
{
    private const int Eos = 256;
    private const int MinCodeLength = 5;
    private const int MaxCodeLength = 30;
    private const int CompressionError = 0x9;

    private static readonly CanonicalCode Code = CanonicalCode.Build(CodeLengths);

    // Bit length of the code of each symbol 0..255, then of EOS (256); RFC 7541 Appendix B.
    private static ReadOnlySpan<byte> CodeLengths =>
    [
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, // 0x00
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, // 0x10
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,         // 0x20  ' ' .. '/'
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,              // 0x30  '0' .. '?'
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,                // 0x40  '@' .. 'O'
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,             // 0x50  'P' .. '_'
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,                // 0x60  '`' .. 'o'
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,            // 0x70  'p' .. DEL
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, // 0x80
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, // 0x90
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, // 0xA0
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, // 0xB0
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, // 0xC0
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, // 0xD0
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, // 0xE0
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, // 0xF0
        30,                                                             // EOS
    ];

    /// <summary>An upper bound on the decoded length of an encoded string of this many bytes (the shortest code has 5 bits).</summary>
    public static int MaxDecodedLength(int encodedLength) => encodedLength * 8 / MinCodeLength;

    /// <summary>
    /// Decodes source into destination and returns the number of bytes written. Requires destination.Length &gt;=
    /// MaxDecodedLength(source.Length). Throws <see cref="Http2ConnectionException"/> (COMPRESSION_ERROR) when source
    /// contains EOS, or ends with padding that is 8 bits or longer or is not a prefix of EOS (all ones).
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var written = 0;
        var code = 0;
        var length = 0;
        foreach (var b in source)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                code = (code << 1) | ((b >> bit) & 1);
                length++;
                var symbol = Code.Lookup(code, length);
                if (symbol >= 0)
                {
                    if (symbol == Eos)
                    {
                        throw new Http2ConnectionException(CompressionError, "HPACK: a Huffman string contains EOS.");
                    }

                    destination[written++] = (byte)symbol;
                    code = 0;
                    length = 0;
                }
                else if (length == MaxCodeLength)
                {
                    throw new Http2ConnectionException(CompressionError, "HPACK: a Huffman string contains an invalid code.");
                }
            }
        }

        // RFC 7541 §5.2: the padding is the most significant bits of EOS (all ones) and shorter than a byte.
        if (length > 7 || code != (1 << length) - 1)
        {
            throw new Http2ConnectionException(CompressionError, "HPACK: a Huffman string ends with invalid padding.");
        }

        return written;
    }

    /// <summary>Decoding tables of a canonical code: per length, the first code, how many codes, and where its symbols start.</summary>
    private sealed class CanonicalCode
    {
        private readonly int[] _firstCode = new int[MaxCodeLength + 1];
        private readonly int[] _count = new int[MaxCodeLength + 1];
        private readonly int[] _firstSymbol = new int[MaxCodeLength + 1];
        private readonly short[] _symbols = new short[Eos + 1];

        public static CanonicalCode Build(ReadOnlySpan<byte> lengths)
        {
            var table = new CanonicalCode();
            var next = 0;
            var code = 0;
            for (var length = 1; length <= MaxCodeLength; length++)
            {
                code <<= 1;
                table._firstCode[length] = code;
                table._firstSymbol[length] = next;
                for (short symbol = 0; symbol <= Eos; symbol++)
                {
                    if (lengths[symbol] == length)
                    {
                        table._symbols[next++] = symbol;
                        code++;
                    }
                }

                table._count[length] = next - table._firstSymbol[length];
            }

            // A complete code ends with EOS as the all-ones code of the longest length; anything else is a typo above.
            if (next != Eos + 1 || code != 1 << MaxCodeLength || table._symbols[Eos] != Eos)
            {
                throw new InvalidOperationException("The HPACK Huffman code lengths do not form the RFC 7541 code.");
            }

            return table;
        }

        /// <summary>The symbol whose code is the low length bits of code, or -1 if no code of that length matches.</summary>
        public int Lookup(int code, int length)
        {
            var offset = code - _firstCode[length];
            return offset >= 0 && offset < _count[length] ? _symbols[_firstSymbol[length] + offset] : -1;
        }
    }
}
