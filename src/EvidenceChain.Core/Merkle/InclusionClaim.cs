namespace EvidenceChain.Core.Merkle;

/// <summary>
/// One inclusion proof to check in a batch (<see cref="InclusionProof.VerifyBatch"/>): the leaf with hash
/// <see cref="LeafHash"/> is at <see cref="Index"/> in the tree of <see cref="Size"/> leaves whose root is
/// <see cref="Root"/>, by the audit path <see cref="Proof"/> (leaf sibling first).
/// </summary>
/// <remarks>Immutable, as long as the memory behind <see cref="Proof"/> does not change while it is checked.</remarks>
/// <param name="Index">The leaf's index; a claim with <c>Index &gt;= Size</c> fails with <see cref="ProofFailure.IndexOutOfRange"/>.</param>
/// <param name="Size">The tree size.</param>
/// <param name="LeafHash">The leaf's hash (<see cref="Rfc6962.HashLeaf"/>).</param>
/// <param name="Proof">The audit path, from the leaf's sibling upwards.</param>
/// <param name="Root">The root the proof must lead to.</param>
public readonly record struct InclusionClaim(ulong Index, ulong Size, Hash LeafHash, ReadOnlyMemory<Hash> Proof, Hash Root);
