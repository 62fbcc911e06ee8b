using System.Buffers.Binary;

namespace EvidenceChain.Core.Tiles;

/// <summary>
/// The entry bundle format of C2SP tlog-tiles: each leaf as a 16-bit big-endian length followed by its bytes.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class EntryBundle
{
    /// <summary>Appends one leaf, length-prefixed, to <paramref name="bundle"/>.</summary>
    public static void Append(List<byte> bundle, ReadOnlySpan<byte> leaf)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(leaf.Length, ushort.MaxValue, nameof(leaf));
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)leaf.Length);
        bundle.AddRange(length);
        bundle.AddRange(leaf);
    }

    /// <summary>
    /// Splits a bundle into its leaves, as (offset, length) pairs into <paramref name="bundle"/>. Returns false with
    /// a reason when the bundle does not hold exactly <paramref name="expectedCount"/> well-framed leaves.
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<byte> bundle, int expectedCount, List<(int Offset, int Length)> leaves, out string error)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        leaves.Clear();
        var offset = 0;
        while (offset < bundle.Length)
        {
            if (bundle.Length - offset < 2)
            {
                error = $"truncated length prefix at byte {offset}";
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bundle[offset..]);
            if (bundle.Length - offset - 2 < length)
            {
                error = $"leaf {leaves.Count} at byte {offset} claims {length} bytes; only {bundle.Length - offset - 2} remain";
                return false;
            }

            leaves.Add((offset + 2, length));
            offset += 2 + length;
        }

        if (leaves.Count != expectedCount)
        {
            error = $"holds {leaves.Count} leaves; expected {expectedCount}";
            return false;
        }

        error = string.Empty;
        return true;
    }
}
