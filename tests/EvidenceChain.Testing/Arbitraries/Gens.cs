using System.Text;
using FsCheck;
using FsCheck.Fluent;
using EvidenceChain.Core;

namespace EvidenceChain.Testing.Arbitraries;

/// <summary>Generator building blocks shared by the arbitraries.</summary>
public static class Gens
{
    /// <summary>Largest tree the Merkle properties use by default; big enough for nine levels, small enough to stay fast.</summary>
    public const int MaxTreeSize = 300;

    /// <summary>A byte.</summary>
    public static Gen<byte> Byte { get; } = Gen.Choose(0, 255).Select(i => (byte)i);

    /// <summary>A hash: mostly uniform bytes, sometimes all-zero, all-0xff or almost zero.</summary>
    public static Gen<Hash> Hash { get; } = Gen.Frequency(
        (8, Gen.ArrayOf(Byte, EvidenceChain.Core.Hash.Size).Select(b => new Hash(b))),
        (1, Gen.Constant(default(Hash))),
        (1, Gen.Constant(new Hash(Enumerable.Repeat((byte)0xff, EvidenceChain.Core.Hash.Size).ToArray()))),
        (1, Gen.Choose(0, (EvidenceChain.Core.Hash.Size * 8) - 1).Select(bit =>
        {
            var bytes = new byte[EvidenceChain.Core.Hash.Size];
            bytes[bit / 8] = (byte)(1 << (bit % 8));
            return new Hash(bytes);
        })));

    /// <summary>
    /// A tree size in [<paramref name="min"/>, <paramref name="max"/>], biased towards small sizes and sizes next to
    /// a power of two, where the RFC 6962 shapes change.
    /// </summary>
    public static Gen<int> TreeSize(int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(min);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        var nearPowers = Enumerable.Range(0, 31)
            .Select(k => 1L << k)
            .SelectMany(p => new[] { p - 1, p, p + 1 })
            .Where(s => s >= min && s <= max)
            .Select(s => (int)s)
            .Distinct()
            .ToArray();
        var small = Gen.Choose(min, Math.Min(max, Math.Max(min, 17)));
        var uniform = Gen.Choose(min, max);
        return nearPowers.Length == 0
            ? Gen.Frequency((1, small), (3, uniform))
            : Gen.Frequency((1, small), (3, uniform), (2, Gen.Elements(nearPowers)));
    }

    /// <summary>
    /// Chunk lengths summing to <paramref name="total"/>: one chunk, single items, or random cuts (with the odd
    /// empty chunk, which must be a no-op).
    /// </summary>
    public static Gen<int[]> Chunks(int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        if (total <= 1)
        {
            return Gen.Elements(new[] { total }, new[] { 0, total, 0 });
        }

        var cuts = Gen.Choose(1, Math.Min(total - 1, 24))
            .SelectMany(count => Gen.ArrayOf(Gen.Choose(0, total), count))
            .Select(points => ToLengths(total, points));
        var gens = new List<(int, Gen<int[]>)> { (1, Gen.Constant(new[] { total })), (6, cuts) };
        if (total <= 64)
        {
            gens.Add((1, Gen.Constant(Enumerable.Repeat(1, total).ToArray())));
        }

        return Gen.Frequency(gens.ToArray());
    }

    /// <summary>Bytes of length 0 to <paramref name="maxLength"/>, biased towards the hash block size boundaries.</summary>
    public static Gen<byte[]> Bytes(int maxLength)
    {
        var boundaries = new[] { 0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129 }.Where(n => n <= maxLength).ToArray();
        var length = Gen.Frequency((1, Gen.Elements(boundaries)), (3, Gen.Choose(0, maxLength)));
        return length.SelectMany(n => Gen.ArrayOf(Byte, n));
    }

    /// <summary>
    /// Text of <paramref name="minLength"/> to <paramref name="maxLength"/> code points: ASCII, CJK (Chinese), Latin
    /// supplements, emoji outside the BMP, control characters and characters JSON or HTML encoders treat specially.
    /// Always well-formed UTF-16 (no lone surrogates).
    /// </summary>
    public static Gen<string> Text(int minLength, int maxLength) =>
        Gen.Choose(minLength, maxLength)
            .SelectMany(n => Gen.ArrayOf(CodePoint, n))
            .Select(codePoints =>
            {
                var text = new StringBuilder();
                foreach (var cp in codePoints)
                {
                    text.Append(char.ConvertFromUtf32(cp));
                }

                return text.ToString();
            });

    /// <summary>A ulong anywhere in its range: often small, often next to a power of two, otherwise uniform.</summary>
    public static Gen<ulong> AnyULong { get; } = Gen.Frequency(
        (3, Gen.Choose(0, 1000).Select(i => (ulong)i)),
        (2, Gen.Zip(Gen.Choose(0, 63), Gen.Choose(-2, 2)).Select(t => unchecked((1UL << t.Item1) + (ulong)(long)t.Item2))),
        (2, Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue))
            .Select(t => unchecked(((ulong)(uint)t.Item1 << 32) | (uint)t.Item2))));

    /// <summary>A non-empty range [Begin, End) of ulongs (see <see cref="AnyULong"/>).</summary>
    public static Gen<(ulong Begin, ulong End)> ULongRange { get; } =
        Gen.Zip(AnyULong, AnyULong)
            .Where(t => t.Item1 != t.Item2)
            .Select(t => t.Item1 < t.Item2 ? (t.Item1, t.Item2) : (t.Item2, t.Item1));

    /// <summary>A Unicode scalar value (never a surrogate).</summary>
    public static Gen<int> CodePoint { get; } = Gen.Frequency(
        (8, Gen.Choose(0x20, 0x7e)),
        (4, Gen.Choose(0x4e00, 0x9fff)),
        (1, Gen.Choose(0x00, 0x1f)),
        (1, Gen.Choose(0x80, 0x24f)),
        (1, Gen.Choose(0x1f300, 0x1f64f)),
        (1, Gen.Choose(0xe000, 0xfffd)),
        (2, Gen.Elements('"', '\\', '/', '<', '>', '&', '\'', '+', '`', 0x7f, 0x2028, 0x2029, 0xfeff, 0x3000, 0x00e9, 0x20ac)));

    private static int[] ToLengths(int total, int[] points)
    {
        var sorted = points.Append(0).Append(total).Order().ToArray();
        var lengths = new int[sorted.Length - 1];
        for (var i = 0; i < lengths.Length; i++)
        {
            lengths[i] = sorted[i + 1] - sorted[i];
        }

        return lengths;
    }
}
