namespace EvidenceChain.Testing.Arbitraries;

/// <summary>A non-empty tree and one of its leaf indices.</summary>
/// <param name="Leaves">The tree's leaf hashes; at least one.</param>
/// <param name="Index">A leaf index below <c>Leaves.Count</c>.</param>
public sealed record TreeWithIndex(LeafHashes Leaves, int Index)
{
    /// <summary>The tree size as the proof APIs take it.</summary>
    public ulong Size => (ulong)Leaves.Count;
}
