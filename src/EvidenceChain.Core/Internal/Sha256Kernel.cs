using System.Security.Cryptography;
using EvidenceChain.Merkle;

namespace EvidenceChain.Internal;

/// <summary>
/// The one place where Merkle tree hashing calls SHA-256. Every hashing site (roots, tiles, proofs, audit,
/// verification) goes through here, so a faster kernel lands everywhere at once.
/// </summary>
internal static class Sha256Kernel
{
    private const int NodeInputSize = 1 + (2 * Hash.Size);
    private const int MaxStackLeaf = 2048;

    public static Hash HashLeaf(ReadOnlySpan<byte> leaf)
    {
        if (leaf.Length <= MaxStackLeaf)
        {
            Span<byte> input = stackalloc byte[leaf.Length + 1];
            input[0] = Rfc6962.LeafPrefix;
            leaf.CopyTo(input[1..]);
            return HashOnce(input);
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([Rfc6962.LeafPrefix]);
        sha.AppendData(leaf);
        Span<byte> digest = stackalloc byte[Hash.Size];
        sha.GetHashAndReset(digest);
        return new Hash(digest);
    }

    public static Hash HashChildren(in Hash left, in Hash right)
    {
        Span<byte> input = stackalloc byte[NodeInputSize];
        input[0] = Rfc6962.NodePrefix;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Hash.Size)..]);
        return HashOnce(input);
    }

    public static void HashPairs(ReadOnlySpan<Hash> children, Span<Hash> parents)
    {
        Span<byte> input = stackalloc byte[NodeInputSize];
        input[0] = Rfc6962.NodePrefix;
        var childBytes = Hash.AsBytes(children);
        for (var i = 0; i < parents.Length; i++)
        {
            childBytes.Slice(i * 2 * Hash.Size, 2 * Hash.Size).CopyTo(input[1..]);
            parents[i] = HashOnce(input);
        }
    }

    private static Hash HashOnce(ReadOnlySpan<byte> input)
    {
        Span<byte> digest = stackalloc byte[Hash.Size];
        SHA256.HashData(input, digest);
        return new Hash(digest);
    }
}
