using System.Numerics;

namespace EvidenceChain.Core.Merkle;

/// <summary>
/// Which subtree hashes make up an inclusion or consistency proof (RFC 9162 §2.1.3.1 and §2.1.4.1), in proof
/// order (from the leaf upwards). A store turns a plan into hashes by reading the perfect subtrees of each
/// range (<see cref="LeafRange.Parts"/>) and folding them: O(log n) reads in all.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class ProofPlan
{
    /// <summary>The ranges whose hashes prove leaf <paramref name="index"/> in a tree of <paramref name="size"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 &lt;= index &lt; size.</exception>
    public static LeafRange[] Inclusion(ulong index, ulong size)
    {
        if (index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} is out of bounds for tree size {size}.");
        }

        // Walk down from the root; each step records the sibling subtree, so reverse for leaf-up order.
        var ranges = new List<LeafRange>(64);
        ulong lo = 0, hi = size;
        while (hi - lo > 1)
        {
            var k = SplitPoint(hi - lo);
            if (index < lo + k)
            {
                ranges.Add(new LeafRange(lo + k, hi));
                hi = lo + k;
            }
            else
            {
                ranges.Add(new LeafRange(lo, lo + k));
                lo += k;
            }
        }

        ranges.Reverse();
        return [.. ranges];
    }

    /// <summary>
    /// The ranges whose hashes prove that the tree of <paramref name="size1"/> leaves is a prefix of the tree of
    /// <paramref name="size2"/> leaves. Empty when the sizes are equal.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 &lt; size1 &lt;= size2.</exception>
    public static LeafRange[] Consistency(ulong size1, ulong size2)
    {
        if (size1 == 0 || size1 > size2)
        {
            throw new ArgumentOutOfRangeException(
                nameof(size1), $"Need 0 < size1 <= size2 for a consistency proof; got size1 {size1}, size2 {size2}.");
        }

        // SUBPROOF(m, D[lo:hi], b) of RFC 9162 §2.1.4.1, unrolled; ranges collected root-down, then reversed.
        var ranges = new List<LeafRange>(64);
        ulong lo = 0, hi = size2, m = size1;
        var completeSubtree = true;
        while (m != hi - lo)
        {
            var k = SplitPoint(hi - lo);
            if (m <= k)
            {
                ranges.Add(new LeafRange(lo + k, hi));
                hi = lo + k;
            }
            else
            {
                ranges.Add(new LeafRange(lo, lo + k));
                lo += k;
                m -= k;
                completeSubtree = false;
            }
        }

        if (!completeSubtree)
        {
            ranges.Add(new LeafRange(lo, hi));
        }

        ranges.Reverse();
        return [.. ranges];
    }

    /// <summary>The largest power of two smaller than <paramref name="n"/> (n &gt;= 2): RFC 6962's split.</summary>
    internal static ulong SplitPoint(ulong n) => 1UL << (63 - BitOperations.LeadingZeroCount(n - 1));
}
