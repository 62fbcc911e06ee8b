namespace EvidenceChain.Core.Merkle;

/// <summary>
/// Identifies a perfect subtree of the Merkle tree: the node at <see cref="Level"/> (0 = leaves) and
/// <see cref="Index"/> covers leaves [<c>Index * 2^Level</c>, <c>(Index + 1) * 2^Level</c>).
/// </summary>
/// <param name="Level">Height above the leaves, 0 to 63.</param>
/// <param name="Index">Position among the nodes of that level, from the left.</param>
public readonly record struct NodeId(int Level, ulong Index)
{
    /// <summary>The first leaf the node covers.</summary>
    public ulong FirstLeaf => Index << Level;

    /// <summary>One past the last leaf the node covers.</summary>
    public ulong EndLeaf => (Index + 1) << Level;
}
