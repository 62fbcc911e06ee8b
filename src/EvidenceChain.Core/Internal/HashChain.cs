namespace EvidenceChain.Core.Internal;

/// <summary>
/// One chain of dependent node hashes, as an inclusion proof folds them (<see cref="ISha256Kernel.HashChains"/>): step s
/// hashes the running node with sibling <c>Offset + s</c>, the sibling on the left where bit s of
/// <see cref="LeftMask"/> is set, for <see cref="Length"/> steps.
/// </summary>
/// <param name="Offset">Where the chain's siblings start in the siblings span.</param>
/// <param name="Length">The number of steps (at most 64: a proof is never longer).</param>
/// <param name="LeftMask">Bit s set: at step s the sibling is the left child.</param>
internal readonly record struct HashChain(int Offset, int Length, ulong LeftMask)
{
    /// <summary>
    /// <see cref="ISha256Kernel.HashChains"/> one node at a time with <paramref name="kernel"/>'s
    /// <see cref="ISha256Kernel.HashNode"/>: what every kernel's chains must equal.
    /// </summary>
    public static void FoldOneByOne(
        ISha256Kernel kernel, ReadOnlySpan<Hash> starts, ReadOnlySpan<Hash> siblings, ReadOnlySpan<HashChain> chains, Span<Hash> ends)
    {
        CheckLengths(starts, chains, ends);
        for (var i = 0; i < chains.Length; i++)
        {
            var chain = chains[i];
            var node = starts[i];
            var path = siblings.Slice(chain.Offset, chain.Length);
            for (var step = 0; step < path.Length; step++)
            {
                node = ((chain.LeftMask >> step) & 1) != 0 ? kernel.HashNode(path[step], node) : kernel.HashNode(node, path[step]);
            }

            ends[i] = node;
        }
    }

    /// <summary>Throws unless there is one start and one end per chain.</summary>
    public static void CheckLengths(ReadOnlySpan<Hash> starts, ReadOnlySpan<HashChain> chains, Span<Hash> ends)
    {
        if (starts.Length != chains.Length || ends.Length != chains.Length)
        {
            throw new ArgumentException(
                $"Need one start and one end per chain: {chains.Length} chains, {starts.Length} starts, room for {ends.Length} ends.",
                nameof(ends));
        }
    }
}
