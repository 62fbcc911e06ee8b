using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Proofs;

namespace EvidenceChain.Verifier.Internal;

/// <summary>
/// An inclusion proof already checked in a batch (<see cref="InclusionProof.VerifyBatch"/>), with the claim it was
/// checked for. <see cref="EntryVerifier"/> uses the result only when its own index, tree size, leaf hash, proof and
/// root are exactly those of the claim, so a result can never be applied to other inputs; otherwise it verifies the
/// proof itself. Immutable.
/// </summary>
internal sealed record PrecomputedInclusion(InclusionClaim Claim, ProofResult Result)
{
    /// <summary>True when this result was computed for exactly these inputs.</summary>
    public bool Matches(ulong index, ulong size, in Hash leafHash, ReadOnlySpan<Hash> proof, in Hash root) =>
        Claim.Index == index && Claim.Size == size && Claim.LeafHash == leafHash && Claim.Root == root
        && Claim.Proof.Span.SequenceEqual(proof);

    /// <summary>
    /// Checks the inclusion proofs of many receipts in one batch: for each receipt whose proof and checkpoint body
    /// parse, the claim its entry verification will make (the checkpoint's size and root, unverified here: the
    /// signature is checked before the result is used); null for the others and for null evidence.
    /// </summary>
    public static PrecomputedInclusion?[] ForReceipts(IReadOnlyList<Receipts.ReceiptEvidence?> receipts)
    {
        var claims = new List<InclusionClaim>(receipts.Count);
        var at = new int[receipts.Count];
        for (var i = 0; i < receipts.Count; i++)
        {
            at[i] = -1;
            if (receipts[i] is { } evidence && TryClaim(evidence, out var claim))
            {
                at[i] = claims.Count;
                claims.Add(claim);
            }
        }

        var all = claims.ToArray();
        var results = new ProofResult[all.Length];
        InclusionProof.VerifyBatch(all, results);
        var precomputed = new PrecomputedInclusion?[receipts.Count];
        for (var i = 0; i < receipts.Count; i++)
        {
            precomputed[i] = at[i] < 0 ? null : new PrecomputedInclusion(all[at[i]], results[at[i]]);
        }

        return precomputed;
    }

    private static bool TryClaim(Receipts.ReceiptEvidence evidence, out InclusionClaim claim)
    {
        claim = default;
        TlogProof proof;
        try
        {
            proof = TlogProof.Parse(evidence.Proof.Span);
        }
        catch (FormatException)
        {
            return false; // the receipt's proof format step says why
        }

        if (!Checkpoint.TryParse(proof.CheckpointText, out var checkpoint, out _))
        {
            return false;
        }

        claim = new InclusionClaim(proof.Index, checkpoint.Size, Rfc6962.HashLeaf(evidence.Entry.Span), proof.Hashes.ToArray(), checkpoint.Root);
        return true;
    }
}
