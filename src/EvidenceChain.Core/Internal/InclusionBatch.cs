using System.Buffers;
using System.Globalization;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Core.Internal;

/// <summary>
/// Checks many inclusion proofs at once. One proof is a chain of dependent hashes, so on its own it runs on one lane;
/// but the proofs of a batch are independent of each other. Every proof that passes the shape checks becomes one
/// chain of <see cref="ISha256Kernel.HashChains"/>, so the multi-buffer kernels hash 16 (AVX-512) or 8 (AVX2) proofs
/// side by side, each lane keeping its running node in registers. The results are those of
/// <see cref="InclusionProof.Verify"/>, claim by claim. Stateless and thread-safe.
/// </summary>
internal static class InclusionBatch
{
    /// <summary>Claims in flight at once: their siblings (about 20 hashes each), starts and ends stay in the L2 cache.</summary>
    private const int Chunk = 256;

    /// <summary>The longest proof that passes the shape checks: one hash per level of a 2^64 tree.</summary>
    private const int MaxProof = 64;

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

        var hashes = ArrayPool<Hash>.Shared.Rent((2 + MaxProof) * Chunk);
        var chains = ArrayPool<HashChain>.Shared.Rent(Chunk);
        var owners = ArrayPool<int>.Shared.Rent(Chunk);
        try
        {
            for (var start = 0; start < claims.Length; start += Chunk)
            {
                var count = Math.Min(Chunk, claims.Length - start);
                VerifyChunk(
                    kernel,
                    claims.Slice(start, count),
                    results.Slice(start, count),
                    hashes.AsSpan(0, (2 + MaxProof) * Chunk),
                    chains.AsSpan(0, Chunk),
                    owners.AsSpan(0, Chunk));
            }
        }
        finally
        {
            ArrayPool<Hash>.Shared.Return(hashes);
            ArrayPool<HashChain>.Shared.Return(chains);
            ArrayPool<int>.Shared.Return(owners);
        }
    }

    private static void VerifyChunk(
        ISha256Kernel kernel,
        ReadOnlySpan<InclusionClaim> claims,
        Span<ProofResult> results,
        Span<Hash> hashes,
        Span<HashChain> chains,
        Span<int> owners)
    {
        // hashes: the leaf hash each chain starts from, the root it ends at, and all the chains' siblings.
        var starts = hashes[..Chunk];
        var ends = hashes.Slice(Chunk, Chunk);
        var siblings = hashes[(2 * Chunk)..];
        var n = 0;
        var offset = 0;
        for (var i = 0; i < claims.Length; i++)
        {
            ref readonly var claim = ref claims[i];
            if (Plan(claim.Index, claim.Size, claim.Proof.Length, out var leftMask) is { } failure)
            {
                results[i] = failure;
                continue;
            }

            if (claim.Proof.IsEmpty)
            {
                results[i] = Compare(claim.Root, claim.LeafHash);
                continue;
            }

            // The proof's memory is read once, here: the kernel reads the copy.
            claim.Proof.Span.CopyTo(siblings[offset..]);
            starts[n] = claim.LeafHash;
            chains[n] = new HashChain(offset, claim.Proof.Length, leftMask);
            owners[n] = i;
            offset += claim.Proof.Length;
            n++;
        }

        kernel.HashChains(starts[..n], siblings[..offset], chains[..n], ends[..n]);
        for (var k = 0; k < n; k++)
        {
            var i = owners[k];
            results[i] = Compare(claims[i].Root, ends[k]);
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

        // RFC 9162 §2.1.3.2, as InclusionProof.RootFromInclusionProof walks it, in closed form: below the level where
        // the paths to the index and to the last leaf meet (inner), the sibling is on the left where the index has a
        // 1 bit; above it, on the right border, every sibling is on the left. A proof of the expected length never
        // runs out of levels or has some left over, so the walk's "too long" and "too short" cannot happen here.
        var inner = 64 - System.Numerics.BitOperations.LeadingZeroCount(index ^ (size - 1));
        leftMask = (index & LowBits(inner)) | (LowBits(length - inner) << inner);
        return null;
    }

    /// <summary>The lowest <paramref name="count"/> bits set (0 to 64).</summary>
    private static ulong LowBits(int count) => count >= 64 ? ulong.MaxValue : (1UL << count) - 1;
}
