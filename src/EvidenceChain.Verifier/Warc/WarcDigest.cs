using System.Security.Cryptography;

namespace EvidenceChain.Verifier.Warc;

/// <summary>
/// A WARC digest field value, <c>algorithm:value</c> (ISO 28500:2017 §5.8, §5.9): the node writes <c>sha256:</c> and
/// the RFC 4648 base32 of the SHA-256, padded (docs/formats.md §9); read here are the labels <c>sha256</c>,
/// <c>sha-256</c>, <c>sha1</c>, <c>sha512</c> in any case, with base32 (padded or not) or hex values.
/// </summary>
/// <remarks>Immutable.</remarks>
internal sealed class WarcDigest
{
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private WarcDigest(string text, HashAlgorithmName algorithm, byte[] expected)
    {
        Text = text;
        Algorithm = algorithm;
        Expected = expected;
    }

    /// <summary>The field value as written.</summary>
    public string Text { get; }

    /// <summary>The hash the label names.</summary>
    public HashAlgorithmName Algorithm { get; }

    /// <summary>The digest the value encodes.</summary>
    public ReadOnlyMemory<byte> Expected { get; }

    /// <summary>A new incremental hash of <see cref="Algorithm"/>; the caller disposes it.</summary>
    public IncrementalHash CreateHash() => IncrementalHash.CreateHash(Algorithm);

    /// <summary>Formats <paramref name="digest"/> the way <see cref="Text"/> is labelled (base32, as the node writes).</summary>
    public string Format(ReadOnlySpan<byte> digest) => Text[..(Text.IndexOf(':', StringComparison.Ordinal) + 1)] + Base32(digest);

    /// <summary>Reads a digest field value; null with the reason when the label is unknown or the value does not decode.</summary>
    public static WarcDigest? TryParse(string text, out string? problem)
    {
        problem = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            problem = "is not algorithm:value";
            return null;
        }

        var label = text[..colon].Trim().ToUpperInvariant().Replace("-", string.Empty, StringComparison.Ordinal);
        (HashAlgorithmName Name, int Size)? algorithm = label switch
        {
            "SHA256" => (HashAlgorithmName.SHA256, 32),
            "SHA1" => (HashAlgorithmName.SHA1, 20),
            "SHA512" => (HashAlgorithmName.SHA512, 64),
            _ => null,
        };
        if (algorithm is not { } known)
        {
            problem = "names an algorithm this verifier does not know (sha256, sha1 and sha512 are read; the node writes sha256)";
            return null;
        }

        var value = text[(colon + 1)..].Trim();
        var expected = value.Length == 2 * known.Size && value.All(char.IsAsciiHexDigit) ? Convert.FromHexString(value) : FromBase32(value);
        if (expected is null || expected.Length != known.Size)
        {
            problem = $"does not hold a {known.Size}-byte digest in base32 or hex";
            return null;
        }

        return new WarcDigest(text, known.Name, expected);
    }

    private static byte[]? FromBase32(string text)
    {
        var trimmed = text.TrimEnd('=');
        var output = new byte[trimmed.Length * 5 / 8];
        int buffer = 0, bits = 0, n = 0;
        foreach (var c in trimmed)
        {
            var value = Base32Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                return null;
            }

            buffer = ((buffer & 0xff) << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output[n++] = (byte)((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }

        return output;
    }

    private static string Base32(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length + 4) / 5 * 8];
        int buffer = 0, bits = 0, n = 0;
        foreach (var b in data)
        {
            buffer = ((buffer & 0xff) << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[n++] = Base32Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            chars[n++] = Base32Alphabet[(buffer << (5 - bits)) & 31];
        }

        chars.AsSpan(n).Fill('=');
        return new string(chars);
    }
}
