namespace EvidenceChain.Core.Merkle;

/// <summary>Receives the nodes that a <see cref="MerkleAppender"/> completes, level by level.</summary>
public interface INodeSink
{
    /// <summary>
    /// Called with a run of consecutive completed nodes: <paramref name="hashes"/>[i] is node
    /// (<paramref name="level"/>, <paramref name="firstIndex"/> + i). Level 0 runs are the appended leaf hashes.
    /// The span is only valid during the call.
    /// </summary>
    void OnNodes(int level, ulong firstIndex, ReadOnlySpan<Hash> hashes);
}
