using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Testing;

/// <summary>An <see cref="INodeSink"/> that records every node it is shown, in order, duplicates included.</summary>
/// <remarks>Not thread-safe (nor is the appender that calls it).</remarks>
public sealed class RecordingNodeSink : INodeSink
{
    private readonly List<(NodeId Node, Hash Hash)> _nodes = [];

    /// <summary>Every reported node with its hash, in the order reported.</summary>
    public IReadOnlyList<(NodeId Node, Hash Hash)> Nodes => _nodes;

    /// <inheritdoc/>
    public void OnNodes(int level, ulong firstIndex, ReadOnlySpan<Hash> hashes)
    {
        for (var i = 0; i < hashes.Length; i++)
        {
            _nodes.Add((new NodeId(level, firstIndex + (ulong)i), hashes[i]));
        }
    }
}
