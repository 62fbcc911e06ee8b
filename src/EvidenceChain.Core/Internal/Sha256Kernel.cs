using System.Runtime.Intrinsics;
using EvidenceChain.Merkle;

namespace EvidenceChain.Internal;

/// <summary>
/// The one place where Merkle tree hashing calls SHA-256. Every hashing site (roots, tiles, proofs, audit,
/// verification) goes through here, so a faster kernel lands everywhere at once. The kernel is chosen once, per
/// operation, and each candidate must pass a self-test against .NET's SHA-256 first. Single messages (leaves,
/// proof chains): OpenSSL's low-level SHA-256 where libcrypto loads, else .NET's. Batches of nodes (tree
/// levels): a multi-buffer SIMD SHA-256, 16 lanes with AVX-512 or 8 with AVX2, else the single-message kernel.
/// </summary>
internal static class Sha256Kernel
{
    // The fewest leftover pairs of a level that are worth a padded vector pass rather than single hashes;
    // measured (Sha256KernelBenchmarks): a 16-lane pass costs about as much as four single node hashes.
    private const int MinimumTail16 = 4;
    private const int MinimumTail8 = 3;

    /// <summary>The kernel in use.</summary>
    public static ISha256Kernel Current { get; } = Choose();

    /// <summary>The fastest kernel for single messages on this machine: libcrypto where it loads, else .NET.</summary>
    public static ISha256Kernel ChooseSingle() =>
        (ISha256Kernel?)LibCryptoSha256Kernel.TryCreate() ?? ManagedSha256Kernel.Instance;

    private static ISha256Kernel Choose()
    {
        var single = ChooseSingle();
        return (ISha256Kernel?)MultiBufferSha256Kernel<Avx512Lanes, Vector512<uint>>.TryCreate(single, MinimumTail16)
            ?? (ISha256Kernel?)MultiBufferSha256Kernel<Avx2Lanes, Vector256<uint>>.TryCreate(single, MinimumTail8)
            ?? single;
    }

    public static Hash HashLeaf(ReadOnlySpan<byte> leaf) => HashLeaf(Current, leaf);

    public static Hash HashLeaf(ISha256Kernel kernel, ReadOnlySpan<byte> leaf)
    {
        Span<byte> digest = stackalloc byte[Hash.Size];
        kernel.HashPrefixed(Rfc6962.LeafPrefix, leaf, digest);
        return new Hash(digest);
    }

    public static void HashLeaves(ReadOnlySpan<byte> leaves, int leafSize, Span<Hash> leafHashes) =>
        Current.HashPrefixedBatch(Rfc6962.LeafPrefix, leaves, leafSize, leafHashes);

    public static Hash HashChildren(in Hash left, in Hash right) => Current.HashNode(left, right);

    public static void HashPairs(ReadOnlySpan<Hash> children, Span<Hash> parents) => Current.HashPairs(children, parents);
}
