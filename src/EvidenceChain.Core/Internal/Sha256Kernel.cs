using EvidenceChain.Merkle;

namespace EvidenceChain.Internal;

/// <summary>
/// The one place where Merkle tree hashing calls SHA-256. Every hashing site (roots, tiles, proofs, audit,
/// verification) goes through here, so a faster kernel lands everywhere at once. The kernel is chosen once:
/// OpenSSL's block function where libcrypto can be loaded and passes a self-test against .NET's SHA-256,
/// otherwise .NET's SHA-256.
/// </summary>
internal static class Sha256Kernel
{
    /// <summary>The kernel in use.</summary>
    public static ISha256Kernel Current { get; } = (ISha256Kernel?)LibCryptoSha256Kernel.TryCreate() ?? ManagedSha256Kernel.Instance;

    public static Hash HashLeaf(ReadOnlySpan<byte> leaf) => HashLeaf(Current, leaf);

    public static Hash HashLeaf(ISha256Kernel kernel, ReadOnlySpan<byte> leaf)
    {
        Span<byte> digest = stackalloc byte[Hash.Size];
        kernel.HashPrefixed(Rfc6962.LeafPrefix, leaf, digest);
        return new Hash(digest);
    }

    public static Hash HashChildren(in Hash left, in Hash right)
    {
        ReadOnlySpan<Hash> pair = [left, right];
        Span<Hash> parent = stackalloc Hash[1];
        Current.HashPairs(pair, parent);
        return parent[0];
    }

    public static void HashPairs(ReadOnlySpan<Hash> children, Span<Hash> parents) => Current.HashPairs(children, parents);
}
