namespace EvidenceChain.Capture.Internal;

/// <summary>RFC 4648 §6 base32 (uppercase alphabet, '=' padding), as WARC digests use it.</summary>
internal static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length + 4) / 5 * 8];
        int buffer = 0, bits = 0, n = 0;
        foreach (var b in data)
        {
            buffer = ((buffer & 0xff) << 8) | b; // at most 4 bits are left over
            bits += 8;
            while (bits >= 5)
            {
                chars[n++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            chars[n++] = Alphabet[(buffer << (5 - bits)) & 31];
        }

        while (n < chars.Length)
        {
            chars[n++] = '=';
        }

        return new string(chars);
    }

    /// <summary>Decodes base32 with or without padding, in either case; false on any other character.</summary>
    public static bool TryDecode(string text, out byte[] data)
    {
        var trimmed = text.TrimEnd('=');
        var output = new List<byte>(trimmed.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in trimmed)
        {
            var value = Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                data = [];
                return false;
            }

            buffer = ((buffer & 0x7f) << 5) | value; // at most 7 bits are left over
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)((buffer >> (bits - 8)) & 0xff));
                bits -= 8;
            }
        }

        data = [.. output];
        return true;
    }
}
