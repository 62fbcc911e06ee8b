using System.Buffers;
using System.Text;

namespace EvidenceChain.LoadTest.RawGrpc;

/// <summary>
/// Builds a request header block (RFC 7541) that needs no dynamic table on either side: indexed static fields,
/// and literals without indexing (§6.2.2) named by a static index or spelt out. Strings are not Huffman-coded.
/// Not thread-safe; build once, then reuse the bytes.
/// </summary>
internal sealed class HpackBlockBuilder
{
    private readonly ArrayBufferWriter<byte> _block = new(256);

    /// <summary>A field that is entirely in the static table, such as 3 (:method POST).</summary>
    public HpackBlockBuilder Indexed(int index)
    {
        WriteInteger(0x80, 7, index);
        return this;
    }

    /// <summary>A literal without indexing whose name is static entry nameIndex.</summary>
    public HpackBlockBuilder Literal(int nameIndex, string value)
    {
        WriteInteger(0x00, 4, nameIndex);
        WriteString(value);
        return this;
    }

    /// <summary>A literal without indexing with a new name (lowercase, as HTTP/2 requires).</summary>
    public HpackBlockBuilder Literal(string name, string value)
    {
        WriteInteger(0x00, 4, 0);
        WriteString(name);
        WriteString(value);
        return this;
    }

    public byte[] ToArray() => _block.WrittenSpan.ToArray();

    /// <summary>§5.1: the value in the low prefixBits bits of the first byte (with pattern in its high bits), then 7 bits a byte.</summary>
    private void WriteInteger(byte pattern, int prefixBits, int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        var max = (1 << prefixBits) - 1;
        var span = _block.GetSpan(6);
        var written = 0;
        if (value < max)
        {
            span[written++] = (byte)(pattern | value);
        }
        else
        {
            span[written++] = (byte)(pattern | max);
            value -= max;
            while (value >= 0x80)
            {
                span[written++] = (byte)((value & 0x7F) | 0x80);
                value >>= 7;
            }

            span[written++] = (byte)value;
        }

        _block.Advance(written);
    }

    private void WriteString(string value)
    {
        WriteInteger(0x00, 7, Encoding.ASCII.GetByteCount(value));
        _block.Write(Encoding.ASCII.GetBytes(value));
    }
}
