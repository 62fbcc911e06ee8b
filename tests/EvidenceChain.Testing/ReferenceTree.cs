using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Testing;

/// <summary>
/// A deliberately naive RFC 9162 §2.1 Merkle tree over leaf hashes, written straight from the RFC's recursive
/// definitions of MTH (§2.1.1), PATH (§2.1.3.1) and SUBPROOF (§2.1.4.1), to check the production code against.
/// It shares nothing with <c>src/</c> but the hashing primitives (<see cref="Rfc6962.HashChildren(in Hash, in Hash)"/>,
/// <see cref="Rfc6962.HashLeaf"/> and <see cref="Rfc6962.EmptyRoot"/>). The model is transparency-dev/merkle's
/// <c>testonly/reference_test.go</c>.
/// </summary>
/// <remarks>
/// MTH results are memoised per leaf range so that a property can ask for every proof of a few-hundred-leaf tree;
/// the memo only caches the recursion, it does not change it. Not thread-safe. Ranges are [begin, end).
/// </remarks>
public sealed class ReferenceTree
{
    private readonly Hash[] _leaves;
    private readonly Dictionary<(int Begin, int End), Hash> _memo = [];

    /// <summary>A tree whose leaves hash to <paramref name="leafHashes"/>.</summary>
    public ReferenceTree(IEnumerable<Hash> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        _leaves = [.. leafHashes];
    }

    /// <summary>Number of leaves.</summary>
    public int Size => _leaves.Length;

    /// <summary>A tree over raw leaf data: each leaf is hashed with <see cref="Rfc6962.HashLeaf"/> first.</summary>
    public static ReferenceTree FromLeafData(IEnumerable<byte[]> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        return new ReferenceTree(leaves.Select(leaf => Rfc6962.HashLeaf(leaf)));
    }

    /// <summary>MTH(D[0:n]): the root of the whole tree.</summary>
    public Hash Root() => Root(0, Size);

    /// <summary>MTH(D[begin:end]): the hash of leaves [begin, end) as a tree of their own; the empty root when empty.</summary>
    public Hash Root(int begin, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(begin);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, begin);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, Size);
        var n = end - begin;
        if (n == 0)
        {
            return Rfc6962.EmptyRoot;
        }

        if (n == 1)
        {
            return _leaves[begin];
        }

        if (_memo.TryGetValue((begin, end), out var cached))
        {
            return cached;
        }

        var k = Split(n);
        var hash = Rfc6962.HashChildren(Root(begin, begin + k), Root(begin + k, end));
        _memo[(begin, end)] = hash;
        return hash;
    }

    /// <summary>PATH(m, D[0:n]): the inclusion proof of leaf <paramref name="index"/>, leaf upwards.</summary>
    public Hash[] Path(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Size);
        var proof = new List<Hash>();
        Path(index, 0, Size, proof);
        return [.. proof];
    }

    /// <summary>PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true), for 0 &lt; m &lt;= n. Empty when m == n.</summary>
    public Hash[] ConsistencyProof(int size1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size1, Size);
        var proof = new List<Hash>();
        SubProof(size1, 0, Size, true, proof);
        return [.. proof];
    }

    /// <summary>
    /// The leaf ranges whose MTH make up PATH(index, D[0:size]), leaf upwards, by the same recursion as
    /// <see cref="Path(int)"/> but without hashing, so it works for any tree size.
    /// </summary>
    public static (ulong Begin, ulong End)[] PathRanges(ulong index, ulong size)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);
        var ranges = new List<(ulong, ulong)>();
        PathRanges(index, 0, size, ranges);
        return [.. ranges];
    }

    /// <summary>
    /// The leaf ranges whose MTH make up PROOF(size1, D[0:size2]), in proof order, by the same recursion as
    /// <see cref="ConsistencyProof(int)"/> but without hashing. Requires 0 &lt; size1 &lt;= size2.
    /// </summary>
    public static (ulong Begin, ulong End)[] ConsistencyRanges(ulong size1, ulong size2)
    {
        ArgumentOutOfRangeException.ThrowIfZero(size1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size1, size2);
        var ranges = new List<(ulong, ulong)>();
        SubProofRanges(size1, 0, size2, true, ranges);
        return [.. ranges];
    }

    /// <summary>
    /// For each element of PATH(index, D[0:size]), leaf upwards: true when that sibling lies left of the path.
    /// A verifier given an (index, size) with the same shape performs exactly the same computation.
    /// </summary>
    public static bool[] PathShape(ulong index, ulong size) =>
        PathRanges(index, size).Select(r => r.End <= index).ToArray();

    /// <summary>
    /// The decisions SUBPROOF(size1, D[0:size2], true) takes, root downwards: 'r' when the old tree fits in the
    /// left subtree (sibling on the right), 'l' when it spills into the right subtree (sibling on the left), then
    /// '=' when the recursion ends on a subtree it may omit or '*' when it must emit that subtree's hash. A verifier
    /// given sizes with the same shape performs exactly the same computation. Requires 0 &lt; size1 &lt;= size2.
    /// </summary>
    public static string ConsistencyShape(ulong size1, ulong size2)
    {
        ArgumentOutOfRangeException.ThrowIfZero(size1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size1, size2);
        var shape = new System.Text.StringBuilder();
        ulong m = size1, n = size2;
        var b = true;
        while (m != n)
        {
            var k = Split(n);
            if (m <= k)
            {
                shape.Append('r');
                n = k;
            }
            else
            {
                shape.Append('l');
                m -= k;
                n -= k;
                b = false;
            }
        }

        shape.Append(b ? '=' : '*');
        return shape.ToString();
    }

    /// <summary>
    /// MTH of <paramref name="size"/> leaves that all hash to <paramref name="leafHash"/>, by the RFC recursion
    /// memoised on the size. Any subtree of such a tree is again uniform, so this gives the root and every proof
    /// element of trees far too big to build (up to 2^64 - 1 leaves), for checking size arithmetic.
    /// </summary>
    public static Hash UniformRoot(Hash leafHash, ulong size, Dictionary<ulong, Hash>? memo = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(size);
        if (size == 1)
        {
            return leafHash;
        }

        memo ??= [];
        if (memo.TryGetValue(size, out var cached))
        {
            return cached;
        }

        var k = Split(size);
        var hash = Rfc6962.HashChildren(UniformRoot(leafHash, k, memo), UniformRoot(leafHash, size - k, memo));
        memo[size] = hash;
        return hash;
    }

    /// <summary>The largest power of two strictly less than <paramref name="n"/>, for n &gt;= 2 (RFC 9162's k).</summary>
    public static int Split(int n) => checked((int)Split((ulong)n));

    /// <summary>The largest power of two strictly less than <paramref name="n"/>, for n &gt;= 2 (RFC 9162's k).</summary>
    public static ulong Split(ulong n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 2UL);
        ulong k = 1;
        while (k < n - k)
        {
            k *= 2;
        }

        return k;
    }

    private void Path(int m, int lo, int hi, List<Hash> proof)
    {
        var n = hi - lo;
        if (n == 1)
        {
            return;
        }

        var k = Split(n);
        if (m < lo + k)
        {
            Path(m, lo, lo + k, proof);
            proof.Add(Root(lo + k, hi));
        }
        else
        {
            Path(m, lo + k, hi, proof);
            proof.Add(Root(lo, lo + k));
        }
    }

    // m counts leaves from lo, as in the RFC where each recursive call sees a fresh D[0:n].
    private void SubProof(int m, int lo, int hi, bool b, List<Hash> proof)
    {
        var n = hi - lo;
        if (m == n)
        {
            if (!b)
            {
                proof.Add(Root(lo, hi));
            }

            return;
        }

        var k = Split(n);
        if (m <= k)
        {
            SubProof(m, lo, lo + k, b, proof);
            proof.Add(Root(lo + k, hi));
        }
        else
        {
            SubProof(m - k, lo + k, hi, false, proof);
            proof.Add(Root(lo, lo + k));
        }
    }

    private static void PathRanges(ulong m, ulong lo, ulong hi, List<(ulong, ulong)> ranges)
    {
        var n = hi - lo;
        if (n == 1)
        {
            return;
        }

        var k = Split(n);
        if (m < lo + k)
        {
            PathRanges(m, lo, lo + k, ranges);
            ranges.Add((lo + k, hi));
        }
        else
        {
            PathRanges(m, lo + k, hi, ranges);
            ranges.Add((lo, lo + k));
        }
    }

    private static void SubProofRanges(ulong m, ulong lo, ulong hi, bool b, List<(ulong, ulong)> ranges)
    {
        var n = hi - lo;
        if (m == n)
        {
            if (!b)
            {
                ranges.Add((lo, hi));
            }

            return;
        }

        var k = Split(n);
        if (m <= k)
        {
            SubProofRanges(m, lo, lo + k, b, ranges);
            ranges.Add((lo + k, hi));
        }
        else
        {
            SubProofRanges(m - k, lo + k, hi, false, ranges);
            ranges.Add((lo, lo + k));
        }
    }
}
