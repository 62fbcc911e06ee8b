using System.Globalization;
using EvidenceChain.Core.Internal;

namespace EvidenceChain.Core.Merkle;

/// <summary>Checks RFC 9162 §2.1.3.2 inclusion proofs.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class InclusionProof
{
    /// <summary>
    /// Checks that the leaf with hash <paramref name="leafHash"/> is at <paramref name="index"/> in the tree of
    /// <paramref name="size"/> leaves whose root is <paramref name="root"/>.
    /// </summary>
    public static ProofResult Verify(ulong index, ulong size, in Hash leafHash, ReadOnlySpan<Hash> proof, in Hash root)
    {
        var calculated = RootFromInclusionProof(index, size, leafHash, proof, out var failure);
        if (failure.HasValue)
        {
            return failure.Value;
        }

        return calculated == root ? ProofResult.Valid : ProofResult.Mismatch(ProofFailure.RootMismatch, root, calculated);
    }

    /// <summary>
    /// Checks many inclusion proofs at once: <c>results[i]</c> is what <see cref="Verify"/> gives for
    /// <c>claims[i]</c>, bit for bit. Faster per proof than one <see cref="Verify"/> call each where the CPU can hash
    /// several messages at once: the proofs are independent, so step by step their hashes go side by side in SIMD
    /// lanes. Requires <c>results.Length == claims.Length</c>.
    /// </summary>
    public static void VerifyBatch(ReadOnlySpan<InclusionClaim> claims, Span<ProofResult> results) =>
        InclusionBatch.Verify(Sha256Kernel.Current, claims, results);

    /// <summary>
    /// The root that an inclusion proof implies, or a failure when the proof's shape does not fit the index and size.
    /// </summary>
    public static Hash RootFromInclusionProof(
        ulong index, ulong size, in Hash leafHash, ReadOnlySpan<Hash> proof, out ProofResult? failure)
    {
        failure = null;
        if (index >= size)
        {
            failure = ProofResult.Fail(
                ProofFailure.IndexOutOfRange,
                string.Create(CultureInfo.InvariantCulture, $"index {index} is out of bounds for tree size {size}"));
            return default;
        }

        var expectedLength = ExpectedLength(index, size);
        if (proof.Length != expectedLength)
        {
            failure = ProofResult.Fail(
                ProofFailure.WrongProofLength,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"proof has {proof.Length} hashes; index {index} in tree size {size} needs {expectedLength}"));
            return default;
        }

        // RFC 9162 §2.1.3.2, with fn the node index and sn the last node index on the current level.
        ulong fn = index, sn = size - 1;
        var r = leafHash;
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                failure = ProofResult.Fail(ProofFailure.WrongProofLength, "proof is too long for the tree size");
                return default;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = Rfc6962.HashChildren(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = Rfc6962.HashChildren(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        if (sn != 0)
        {
            failure = ProofResult.Fail(ProofFailure.WrongProofLength, "proof is too short for the tree size");
        }

        return r;
    }

    /// <summary>The number of hashes in an inclusion proof for <paramref name="index"/> in a tree of <paramref name="size"/>.</summary>
    /// <remarks>Requires index &lt; size.</remarks>
    public static int ExpectedLength(ulong index, ulong size)
    {
        // Levels where the index's path has a sibling: the common-prefix depth with the last leaf, plus the
        // levels below where the path leaves the right border.
        var inner = 64 - System.Numerics.BitOperations.LeadingZeroCount(index ^ (size - 1));
        return inner + System.Numerics.BitOperations.PopCount(ShiftRight(index, inner));
    }

    /// <summary><c>value &gt;&gt; shift</c> for shifts up to 64 (C# masks the count, so a shift by 64 would be a no-op).</summary>
    internal static ulong ShiftRight(ulong value, int shift) => shift >= 64 ? 0 : value >> shift;
}
