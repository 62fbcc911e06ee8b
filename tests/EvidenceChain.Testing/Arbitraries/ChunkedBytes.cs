namespace EvidenceChain.Testing.Arbitraries;

/// <summary>Data and a way to cut it into consecutive writes.</summary>
/// <param name="Data">The bytes.</param>
/// <param name="Chunks">Chunk lengths, each at least 0, summing to <c>Data.Length</c>.</param>
public sealed record ChunkedBytes(byte[] Data, IReadOnlyList<int> Chunks)
{
    /// <summary>The chunks as slices of <see cref="Data"/>.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Slices()
    {
        var start = 0;
        foreach (var length in Chunks)
        {
            yield return Data.AsMemory(start, length);
            start += length;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"ChunkedBytes({Data.Length} bytes, chunks: [{string.Join(", ", Chunks)}])";
}
