using System.Buffers;
using System.Globalization;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Core.Internal;

/// <summary>
/// Checks many inclusion proofs at once. One proof is a chain of dependent hashes, so on its own it runs on one lane;
/// but the proofs of a batch are independent of each other. Step s of every proof still running is hashed in one
/// <see cref="ISha256Kernel.HashPairs"/> call, so the multi-buffer kernels hash 16 (AVX-512) or 8 (AVX2) proofs side
/// by side. The results are those of <see cref="InclusionProof.Verify"/>, claim by claim. Stateless and thread-safe.
/// </summary>
internal static class InclusionBatch
{
    /// <summary>Claims in flight at once: their running hashes and one step's pairs stay in the L2 cache.</summary>
    private const int Chunk = 512;

    /// <summary>Verifies <paramref name="claims"/> into <paramref name="results"/> (same length) with <paramref name="kernel"/>.</summary>
    public static void Verify(ISha256Kernel kernel, ReadOnlySpan<InclusionClaim> claims, Span<ProofResult> results)
    {
        if (results.Length != claims.Length)
        {
            throw new ArgumentException(
                $"Need one result per claim: {claims.Length} claims, room for {results.Length} results.", nameof(results));
        }

        if (claims.IsEmpty)
        {
            return;
        }

        var hashes = ArrayPool<Hash>.Shared.Rent(4 * Chunk);
        var numbers = ArrayPool<ulong>.Shared.Rent(Chunk);
        var active = ArrayPool<int>.Shared.Rent(2 * Chunk);
        try
        {
            for (var start = 0; start < claims.Length; start += Chunk)
            {
                var count = Math.Min(Chunk, claims.Length - start);
                VerifyChunk(
                    kernel,
                    claims.Slice(start, count),
                    results.Slice(start, count),
                    hashes.AsSpan(0, 4 * Chunk),
                    numbers.AsSpan(0, Chunk),
                    active.AsSpan(0, 2 * Chunk));
            }
        }
        finally
        {
            ArrayPool<Hash>.Shared.Return(hashes);
            ArrayPool<ulong>.Shared.Return(numbers);
            ArrayPool<int>.Shared.Return(active);
        }
    }

    private static void VerifyChunk(
        ISha256Kernel kernel,
        ReadOnlySpan<InclusionClaim> claims,
        Span<ProofResult> results,
        Span<Hash> hashes,
        Span<ulong> leftMasks,
        Span<int> active)
    {
        // hashes: the running hash of each claim, the pairs of one step, and their parents.
        var running = hashes[..Chunk];
        var pairs = hashes.Slice(Chunk, 2 * Chunk);
        var parents = hashes.Slice(3 * Chunk, Chunk);
        var live = active[..Chunk];
        var next = active.Slice(Chunk, Chunk);
        var n = 0;
        for (var i = 0; i < claims.Length; i++)
        {
            ref readonly var claim = ref claims[i];
            if (Plan(claim.Index, claim.Size, claim.Proof.Length, out leftMasks[i]) is { } failure)
            {
                results[i] = failure;
                continue;
            }

            running[i] = claim.LeafHash;
            if (claim.Proof.IsEmpty)
            {
                results[i] = Compare(claim.Root, running[i]);
            }
            else
            {
                live[n++] = i;
            }
        }

        for (var step = 0; n > 0; step++)
        {
            var bit = 1UL << step;
            for (var k = 0; k < n; k++)
            {
                var i = live[k];
                var sibling = claims[i].Proof.Span[step];
                if ((leftMasks[i] & bit) != 0)
                {
                    pairs[2 * k] = sibling;
                    pairs[(2 * k) + 1] = running[i];
                }
                else
                {
                    pairs[2 * k] = running[i];
                    pairs[(2 * k) + 1] = sibling;
                }
            }

            kernel.HashPairs(pairs[..(2 * n)], parents[..n]);

            var still = 0;
            for (var k = 0; k < n; k++)
            {
                var i = live[k];
                running[i] = parents[k];
                if (claims[i].Proof.Length == step + 1)
                {
                    results[i] = Compare(claims[i].Root, running[i]);
                }
                else
                {
                    next[still++] = i;
                }
            }

            var swap = live;
            live = next;
            next = swap;
            n = still;
        }
    }

    private static ProofResult Compare(in Hash root, in Hash calculated) =>
        calculated == root ? ProofResult.Valid : ProofResult.Mismatch(ProofFailure.RootMismatch, root, calculated);

    /// <summary>
    /// The shape checks of <see cref="InclusionProof.RootFromInclusionProof"/> without the hashing: null when a proof
    /// of <paramref name="length"/> hashes fits, with bit s of <paramref name="leftMask"/> set where step s puts the
    /// proof's hash on the left; else the same failure that method gives.
    /// </summary>
    internal static ProofResult? Plan(ulong index, ulong size, int length, out ulong leftMask)
    {
        leftMask = 0;
        if (index >= size)
        {
            return ProofResult.Fail(
                ProofFailure.IndexOutOfRange,
                string.Create(CultureInfo.InvariantCulture, $"index {index} is out of bounds for tree size {size}"));
        }

        var expectedLength = InclusionProof.ExpectedLength(index, size);
        if (length != expectedLength)
        {
            return ProofResult.Fail(
                ProofFailure.WrongProofLength,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"proof has {length} hashes; index {index} in tree size {size} needs {expectedLength}"));
        }

        // RFC 9162 §2.1.3.2, as in InclusionProof.RootFromInclusionProof (at most 64 steps: a proof is never longer).
        ulong fn = index, sn = size - 1;
        for (var step = 0; step < length; step++)
        {
            if (sn == 0)
            {
                return ProofResult.Fail(ProofFailure.WrongProofLength, "proof is too long for the tree size");
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                leftMask |= 1UL << step;
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn != 0 ? ProofResult.Fail(ProofFailure.WrongProofLength, "proof is too short for the tree size") : null;
    }
}
