namespace EvidenceChain.Testing.Arbitraries;

/// <summary>Leaves and a way to cut them into consecutive appends.</summary>
/// <param name="Leaves">The leaves to append.</param>
/// <param name="Chunks">Chunk lengths, each at least 0, summing to <c>Leaves.Count</c>.</param>
public sealed record ChunkedLeaves(LeafHashes Leaves, IReadOnlyList<int> Chunks)
{
    /// <summary>The chunks as (start, length) pairs into the leaves.</summary>
    public IEnumerable<(int Start, int Length)> Ranges()
    {
        var start = 0;
        foreach (var length in Chunks)
        {
            yield return (start, length);
            start += length;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"ChunkedLeaves({Leaves}, chunks: [{string.Join(", ", Chunks)}])";
}
