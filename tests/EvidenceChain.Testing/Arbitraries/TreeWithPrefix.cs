namespace EvidenceChain.Testing.Arbitraries;

/// <summary>A non-empty tree and the size of one of its non-empty prefixes (0 &lt; Size1 &lt;= size).</summary>
/// <param name="Leaves">The newer tree's leaf hashes; at least one.</param>
/// <param name="Size1">The older tree's size, 1 to <c>Leaves.Count</c>.</param>
public sealed record TreeWithPrefix(LeafHashes Leaves, int Size1)
{
    /// <summary>The newer tree's size.</summary>
    public int Size2 => Leaves.Count;
}
