using EvidenceChain.Merkle;

namespace EvidenceChain.Testing;

/// <summary>
/// A deliberately naive RFC 9162 §2.1 Merkle tree over leaf hashes, written straight from the RFC's recursive
/// definitions of MTH (§2.1.1), PATH (§2.1.3.1) and SUBPROOF (§2.1.4.1). It shares nothing with
/// <c>src/</c> except the three hashing primitives (<see cref="Rfc6962.HashChildren(in Hash, in Hash)"/>,
/// <see cref="Rfc6962.HashLeaf"/> and <see cref="Rfc6962.EmptyRoot"/>), so that the production code can be
/// checked against it. It recomputes every subtree from the leaves each time: use it for trees of at most a
/// few thousand leaves. The model is transparency-dev/merkle's <c>testonly/reference_test.go</c>.
/// </summary>
/// <remarks>Stateless and thread-safe. Ranges are [begin, end) into the leaf list.</remarks>
public static class ReferenceMerkle
{
    /// <summary>MTH(D[0:n]) of RFC 9162 §2.1.1, where <paramref name="leafHashes"/> are already leaf hashes.</summary>
    public static Hash Root(IReadOnlyList<Hash> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        return Root(leafHashes, 0, leafHashes.Count);
    }

    /// <summary>MTH(D[begin:end]): the hash of the subtree over leaves [begin, end); the empty root when empty.</summary>
    public static Hash Root(IReadOnlyList<Hash> leafHashes, int begin, int end)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        ArgumentOutOfRangeException.ThrowIfNegative(begin);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, begin);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, leafHashes.Count);
        var n = end - begin;
        if (n == 0)
        {
            return Rfc6962.EmptyRoot;
        }

        if (n == 1)
        {
            return leafHashes[begin];
        }

        var k = Split(n);
        return Rfc6962.HashChildren(Root(leafHashes, begin, begin + k), Root(leafHashes, begin + k, end));
    }

    /// <summary>MTH over raw leaf data: each leaf is first hashed with <see cref="Rfc6962.HashLeaf"/>.</summary>
    public static Hash RootOfLeaves(IReadOnlyList<byte[]> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        return Root(leaves.Select(leaf => Rfc6962.HashLeaf(leaf)).ToArray());
    }

    /// <summary>PATH(m, D[0:n]) of RFC 9162 §2.1.3.1: the inclusion proof of leaf <paramref name="index"/>, leaf upwards.</summary>
    public static Hash[] Path(IReadOnlyList<Hash> leafHashes, int index)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leafHashes.Count);
        var proof = new List<Hash>();
        Path(leafHashes, index, 0, leafHashes.Count, proof);
        return [.. proof];
    }

    /// <summary>
    /// For each element of PATH(index, D[0:size]), leaf upwards: true when that sibling subtree lies to the left
    /// of the path. Two (index, size) pairs with equal shapes make a verifier perform the same computation.
    /// </summary>
    public static bool[] PathShape(ulong index, ulong size)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);
        var shape = new List<bool>();
        ulong lo = 0, hi = size;
        while (hi - lo > 1)
        {
            var k = Split(hi - lo);
            var goRight = index >= lo + k;
            shape.Add(goRight);
            if (goRight)
            {
                lo += k;
            }
            else
            {
                hi = lo + k;
            }
        }

        shape.Reverse();
        return [.. shape];
    }

    /// <summary>
    /// PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true) of RFC 9162 §2.1.4.1, for 0 &lt; m &lt;= n where n is the
    /// number of leaf hashes given. Empty when m == n.
    /// </summary>
    public static Hash[] ConsistencyProof(IReadOnlyList<Hash> leafHashes, int size1)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size1, leafHashes.Count);
        var proof = new List<Hash>();
        SubProof(leafHashes, size1, 0, leafHashes.Count, true, proof);
        return [.. proof];
    }

    /// <summary>
    /// The decisions SUBPROOF(size1, D[0:size2], true) takes, root downwards: 'r' when the old tree fits in the
    /// left subtree (sibling on the right), 'l' when it spills into the right subtree (sibling on the left), then
    /// '=' when the recursion ends on a subtree it may omit or '*' when it must emit that subtree's hash. Two size
    /// pairs with equal shapes make a verifier perform the same computation. Requires 0 &lt; size1 &lt;= size2.
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

    /// <summary>The largest power of two strictly less than <paramref name="n"/>, for n &gt;= 2 (RFC 9162's k).</summary>
    public static int Split(int n) => (int)Split((ulong)n);

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

    private static void Path(IReadOnlyList<Hash> d, int m, int lo, int hi, List<Hash> proof)
    {
        var n = hi - lo;
        if (n == 1)
        {
            return;
        }

        var k = Split(n);
        if (m < lo + k)
        {
            Path(d, m, lo, lo + k, proof);
            proof.Add(Root(d, lo + k, hi));
        }
        else
        {
            Path(d, m, lo + k, hi, proof);
            proof.Add(Root(d, lo, lo + k));
        }
    }

    // m counts leaves from lo, as in the RFC, where each recursive call sees a fresh D[0:n].
    private static void SubProof(IReadOnlyList<Hash> d, int m, int lo, int hi, bool b, List<Hash> proof)
    {
        var n = hi - lo;
        if (m == n)
        {
            if (!b)
            {
                proof.Add(Root(d, lo, hi));
            }

            return;
        }

        var k = Split(n);
        if (m <= k)
        {
            SubProof(d, m, lo, lo + k, b, proof);
            proof.Add(Root(d, lo + k, hi));
        }
        else
        {
            SubProof(d, m - k, lo + k, hi, false, proof);
            proof.Add(Root(d, lo, lo + k));
        }
    }
}
