namespace EvidenceChain.Core.Internal;

/// <summary>
/// SHA-256 of the small fixed-shape messages a Merkle tree hashes: leaves of any length, and 65-byte nodes
/// (prefix, left, right). Implementations are stateless and thread-safe.
/// </summary>
internal interface ISha256Kernel
{
    /// <summary>A short name for benchmarks and diagnostics.</summary>
    string Name { get; }

    /// <summary>SHA-256 of <paramref name="message"/> into <paramref name="digest"/> (32 bytes).</summary>
    void Hash(ReadOnlySpan<byte> message, Span<byte> digest);

    /// <summary>SHA-256(<paramref name="prefix"/> || <paramref name="message"/>) into <paramref name="digest"/> (32 bytes).</summary>
    void HashPrefixed(byte prefix, ReadOnlySpan<byte> message, Span<byte> digest);

    /// <summary>
    /// <c>digests[i] = SHA-256(prefix || messages[length i .. length (i + 1)))</c> for every i below
    /// <c>digests.Length</c>; requires <c>messages.Length &gt;= length * digests.Length</c>. A batch of
    /// equal-length leaves.
    /// </summary>
    void HashPrefixedBatch(byte prefix, ReadOnlySpan<byte> messages, int length, Span<Hash> digests);

    /// <summary>SHA-256(0x01 || <paramref name="left"/> || <paramref name="right"/>): one node, as in a proof chain.</summary>
    Hash HashNode(in Hash left, in Hash right);

    /// <summary>
    /// SHA-256(0x01 || children[2i] || children[2i+1]) into parents[i], for every pair. Requires
    /// <c>children.Length &gt;= 2 * parents.Length</c>; <paramref name="parents"/> may start at the same place as
    /// <paramref name="children"/> (a level hashed in place), but must not otherwise overlap it.
    /// </summary>
    void HashPairs(ReadOnlySpan<Hash> children, Span<Hash> parents);

    /// <summary>
    /// Folds independent chains of node hashes (inclusion proofs): <c>ends[i]</c> is <c>starts[i]</c> hashed with
    /// each sibling of <c>chains[i]</c> in turn (see <see cref="HashChain"/>), exactly as
    /// <see cref="HashChain.FoldOneByOne"/> does with <see cref="HashNode"/>. Requires one start and one end per chain
    /// and every chain's siblings within <paramref name="siblings"/>.
    /// </summary>
    void HashChains(ReadOnlySpan<Hash> starts, ReadOnlySpan<Hash> siblings, ReadOnlySpan<HashChain> chains, Span<Hash> ends) =>
        HashChain.FoldOneByOne(this, starts, siblings, chains, ends);
}
