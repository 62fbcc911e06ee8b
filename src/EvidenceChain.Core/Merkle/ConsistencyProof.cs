using System.Globalization;
using System.Numerics;

namespace EvidenceChain.Core.Merkle;

/// <summary>Checks RFC 9162 §2.1.4.2 consistency proofs.</summary>
/// <remarks>
/// Stateless and thread-safe. A first size of 0 is refused: every tree extends the empty tree, so such a
/// "proof" proves nothing, and accepting it would let a caller skip the check by claiming size 0.
/// </remarks>
public static class ConsistencyProof
{
    /// <summary>
    /// Checks that the tree of <paramref name="size1"/> leaves with root <paramref name="root1"/> is a prefix of
    /// the tree of <paramref name="size2"/> leaves with root <paramref name="root2"/>.
    /// </summary>
    public static ProofResult Verify(ulong size1, ulong size2, in Hash root1, in Hash root2, ReadOnlySpan<Hash> proof)
    {
        if (size1 == 0 || size1 > size2)
        {
            return ProofResult.Fail(
                ProofFailure.IndexOutOfRange,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"need 0 < size1 <= size2; got size1 {size1}, size2 {size2}"));
        }

        if (size1 == size2)
        {
            if (!proof.IsEmpty)
            {
                return ProofResult.Fail(
                    ProofFailure.WrongProofLength,
                    string.Create(CultureInfo.InvariantCulture, $"sizes are equal, so the proof must be empty; it has {proof.Length} hashes"));
            }

            return root1 == root2 ? ProofResult.Valid : ProofResult.Mismatch(ProofFailure.RootMismatch, root2, root1);
        }

        var expectedLength = ExpectedLength(size1, size2);
        if (proof.Length != expectedLength)
        {
            return ProofResult.Fail(
                ProofFailure.WrongProofLength,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"proof has {proof.Length} hashes; sizes {size1} and {size2} need {expectedLength}"));
        }

        // When size1 is a power of two its root is itself a node of the second tree and starts the path.
        var startsWithRoot1 = BitOperations.IsPow2(size1);
        var seed = startsWithRoot1 ? root1 : proof[0];
        var rest = startsWithRoot1 ? proof : proof[1..];

        ulong fn = size1 - 1, sn = size2 - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        Hash fr = seed, sr = seed;
        foreach (var c in rest)
        {
            if (sn == 0)
            {
                return ProofResult.Fail(ProofFailure.WrongProofLength, "proof is too long for the sizes");
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = Rfc6962.HashChildren(c, fr);
                sr = Rfc6962.HashChildren(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = Rfc6962.HashChildren(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        if (sn != 0)
        {
            return ProofResult.Fail(ProofFailure.WrongProofLength, "proof is too short for the sizes");
        }

        if (fr != root1)
        {
            return ProofResult.Mismatch(ProofFailure.FirstRootMismatch, root1, fr);
        }

        return sr == root2 ? ProofResult.Valid : ProofResult.Mismatch(ProofFailure.RootMismatch, root2, sr);
    }

    /// <summary>The number of hashes in a consistency proof between sizes 0 &lt; size1 &lt; size2.</summary>
    public static int ExpectedLength(ulong size1, ulong size2)
    {
        var inner = 64 - BitOperations.LeadingZeroCount((size1 - 1) ^ (size2 - 1));
        var border = BitOperations.PopCount(InclusionProof.ShiftRight(size1 - 1, inner));
        var shift = BitOperations.TrailingZeroCount(size1);
        var seed = BitOperations.IsPow2(size1) ? 0 : 1;
        return seed + (inner - shift) + border;
    }
}
