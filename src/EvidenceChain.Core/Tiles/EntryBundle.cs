using System.Buffers;
using System.Buffers.Binary;
using EvidenceChain.Core.Merkle;

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

    /// <summary>
    /// Hashes every leaf of a bundle (<see cref="Rfc6962.HashLeaf"/>) into <paramref name="leafHashes"/>, which must
    /// have room for <paramref name="expectedCount"/> hashes: the level-0 tile the bundle must match. Leaves of equal
    /// length are hashed together (<see cref="Rfc6962.HashLeaves"/>, several messages at once where the CPU can).
    /// Returns false with a reason when the bundle does not hold exactly <paramref name="expectedCount"/> well-framed
    /// leaves.
    /// </summary>
    public static bool TryHashLeaves(ReadOnlySpan<byte> bundle, int expectedCount, Span<Hash> leafHashes, out string error)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(leafHashes.Length, expectedCount, nameof(leafHashes));
        var leaves = new List<(int Offset, int Length)>(expectedCount);
        if (!TrySplit(bundle, expectedCount, leaves, out error))
        {
            return false;
        }

        // Group the leaves by length; each group is laid end to end and hashed in one batch.
        var byLength = new Dictionary<int, List<int>>();
        for (var i = 0; i < leaves.Count; i++)
        {
            if (!byLength.TryGetValue(leaves[i].Length, out var group))
            {
                byLength[leaves[i].Length] = group = [];
            }

            group.Add(i);
        }

        foreach (var (length, group) in byLength)
        {
            if (group.Count == 1 || length == 0)
            {
                foreach (var i in group)
                {
                    leafHashes[i] = Rfc6962.HashLeaf(bundle.Slice(leaves[i].Offset, leaves[i].Length));
                }

                continue;
            }

            var packed = ArrayPool<byte>.Shared.Rent(length * group.Count);
            var hashes = ArrayPool<Hash>.Shared.Rent(group.Count);
            try
            {
                for (var g = 0; g < group.Count; g++)
                {
                    var (offset, _) = leaves[group[g]];
                    bundle.Slice(offset, length).CopyTo(packed.AsSpan(g * length, length));
                }

                Rfc6962.HashLeaves(packed.AsSpan(0, length * group.Count), length, hashes.AsSpan(0, group.Count));
                for (var g = 0; g < group.Count; g++)
                {
                    leafHashes[group[g]] = hashes[g];
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(packed);
                ArrayPool<Hash>.Shared.Return(hashes);
            }
        }

        return true;
    }
}
