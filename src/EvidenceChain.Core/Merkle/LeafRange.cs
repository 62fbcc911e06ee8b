namespace EvidenceChain.Core.Merkle;

/// <summary>
/// A subtree of a Merkle tree given by the leaves it covers, [<see cref="Begin"/>, <see cref="End"/>). Each
/// element of an inclusion or consistency proof is the hash of one such range: a perfect subtree, or a
/// subtree on the right border of the tree whose hash is folded from perfect ones.
/// </summary>
/// <param name="Begin">First leaf covered.</param>
/// <param name="End">One past the last leaf covered; greater than <paramref name="Begin"/>.</param>
public readonly record struct LeafRange(ulong Begin, ulong End)
{
    /// <summary>The perfect subtrees whose hashes fold into this range's hash (<see cref="MerkleMath.FoldRange"/>).</summary>
    public NodeId[] Parts() => MerkleMath.Decompose(Begin, End);
}
