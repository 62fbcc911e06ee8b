using System.Buffers;
using System.Numerics;

namespace EvidenceChain.Core.Merkle;

/// <summary>Whole-tree computations over leaf hashes held in memory.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class MerkleMath
{
    /// <summary>The RFC 6962 root of the tree whose leaves hash to <paramref name="leafHashes"/>.</summary>
    /// <param name="leafHashes">The leaf hashes, in order.</param>
    /// <param name="parallel">Hash large levels on all cores.</param>
    public static Hash Root(ReadOnlySpan<Hash> leafHashes, bool parallel = false)
    {
        var n = leafHashes.Length;
        if (parallel && n >= SplitThreshold && CanRunParallel)
        {
            // RFC 6962 splits at the largest power of two below n. When the two sides are of similar size, each is
            // hashed whole on its own core: one hand-over instead of one per level.
            var k = 1 << BitOperations.Log2((uint)(n - 1));
            if (n - k >= k / 2)
            {
                return SplitRoot(leafHashes, k);
            }
        }

        var appender = new MerkleAppender { Parallel = parallel };
        appender.Append(leafHashes);
        return appender.Root();
    }

    private const int SplitThreshold = 1 << 15;

    /// <summary>
    /// Whether parallel hashing can help: more than one core, and not a browser, where WebAssembly runs on one thread
    /// and a blocking wait for other workers is not allowed.
    /// </summary>
    internal static bool CanRunParallel => Environment.ProcessorCount > 1 && !OperatingSystem.IsBrowser() && !OperatingSystem.IsWasi();

    private static unsafe Hash SplitRoot(ReadOnlySpan<Hash> leafHashes, int k)
    {
        Hash left = default, right = default;
        var n = leafHashes.Length;

        // Pinned for the duration of the (blocking) parallel calls, which see the leaves as an address.
        fixed (Hash* leaves = leafHashes)
        {
            var address = (nint)leaves;
            System.Threading.Tasks.Parallel.Invoke(
                () => left = Root(new ReadOnlySpan<Hash>((Hash*)address, k)),
                () => right = Root(new ReadOnlySpan<Hash>((Hash*)address + k, n - k)));
        }

        return Rfc6962.HashChildren(left, right);
    }

    /// <summary>
    /// The root of the perfect subtree over <paramref name="hashes"/>, whose length must be a power of two;
    /// these are the nodes of one level, and the result is their common ancestor.
    /// </summary>
    public static Hash PerfectRoot(ReadOnlySpan<Hash> hashes)
    {
        if (hashes.IsEmpty || !BitOperations.IsPow2(hashes.Length))
        {
            throw new ArgumentException($"Need a power-of-two number of hashes; got {hashes.Length}.", nameof(hashes));
        }

        if (hashes.Length == 1)
        {
            return hashes[0];
        }

        var scratch = ArrayPool<Hash>.Shared.Rent(hashes.Length / 2);
        try
        {
            var count = hashes.Length / 2;
            Rfc6962.HashChildren(hashes, scratch.AsSpan(0, count));
            while (count > 1)
            {
                Rfc6962.HashChildren(scratch.AsSpan(0, count), scratch.AsSpan(0, count / 2));
                count /= 2;
            }

            return scratch[0];
        }
        finally
        {
            ArrayPool<Hash>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The hash of the leaf range [begin, end) when it is a subtree of some tree, given the roots of the perfect
    /// subtrees that <see cref="Decompose(ulong, ulong)"/> splits it into, in that order. RFC 6962 puts the
    /// largest power of two on the left, so the parts fold from the right.
    /// </summary>
    public static Hash FoldRange(ReadOnlySpan<Hash> parts)
    {
        if (parts.IsEmpty)
        {
            throw new ArgumentException("A range needs at least one part.", nameof(parts));
        }

        var hash = parts[^1];
        for (var i = parts.Length - 2; i >= 0; i--)
        {
            hash = Rfc6962.HashChildren(parts[i], hash);
        }

        return hash;
    }

    /// <summary>
    /// Splits the leaf range [begin, end) into maximal aligned perfect subtrees, left to right. For the ranges
    /// that proofs use (a perfect subtree, or the right border of a tree) the sizes strictly decrease.
    /// </summary>
    public static NodeId[] Decompose(ulong begin, ulong end)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(begin, end, nameof(begin));
        var nodes = new List<NodeId>(8);
        while (begin < end)
        {
            var level = begin == 0 ? 63 : BitOperations.TrailingZeroCount(begin);
            while (level > 0 && end - begin < 1UL << level)
            {
                level--;
            }

            nodes.Add(new NodeId(level, begin >> level));
            begin += 1UL << level;
        }

        return [.. nodes];
    }

    /// <summary>
    /// Hashes the pairs of a large level on all cores; same result as
    /// <see cref="Rfc6962.HashChildren(ReadOnlySpan{Hash}, Span{Hash})"/>. The spans must not overlap.
    /// </summary>
    internal static unsafe void HashChildrenParallel(ReadOnlySpan<Hash> children, Span<Hash> parents)
    {
        var pairs = parents.Length;
        var workers = Math.Min(Environment.ProcessorCount, Math.Max(1, pairs / 1024));
        var chunk = (pairs + workers - 1) / workers;

        // The spans are pinned for the duration of the (blocking) parallel loop, which sees them as addresses.
        fixed (Hash* input = children)
        fixed (Hash* output = parents)
        {
            var (from0, to0) = ((nint)input, (nint)output);
            System.Threading.Tasks.Parallel.For(0, workers, w =>
            {
                var from = w * chunk;
                var count = Math.Min(chunk, pairs - from);
                if (count > 0)
                {
                    Rfc6962.HashChildren(
                        new ReadOnlySpan<Hash>((Hash*)from0 + (from * 2), count * 2),
                        new Span<Hash>((Hash*)to0 + from, count));
                }
            });
        }
    }
}
