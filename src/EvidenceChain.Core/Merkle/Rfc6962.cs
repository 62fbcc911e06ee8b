using System.Security.Cryptography;
using EvidenceChain.Core.Internal;

namespace EvidenceChain.Core.Merkle;

/// <summary>
/// RFC 6962 / RFC 9162 §2.1.1 hashing with SHA-256: leaf hash = SHA-256(0x00 || leaf),
/// interior node hash = SHA-256(0x01 || left || right), empty tree root = SHA-256("").
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class Rfc6962
{
    /// <summary>The domain-separation byte before leaf data.</summary>
    public const byte LeafPrefix = 0x00;

    /// <summary>The domain-separation byte before two child hashes.</summary>
    public const byte NodePrefix = 0x01;

    /// <summary>The root of the empty tree: SHA-256 of the empty string.</summary>
    public static Hash EmptyRoot { get; } = new(SHA256.HashData(ReadOnlySpan<byte>.Empty));

    /// <summary>Hashes one leaf: SHA-256(0x00 || <paramref name="leaf"/>).</summary>
    public static Hash HashLeaf(ReadOnlySpan<byte> leaf) => Sha256Kernel.HashLeaf(leaf);

    /// <summary>
    /// Hashes a batch of equal-size leaves laid end to end: <c>leafHashes[i] = HashLeaf(leaves[leafSize i ..
    /// leafSize (i + 1)))</c>. Requires <c>leafSize &gt; 0</c>, a length of <paramref name="leaves"/> that is a multiple
    /// of <paramref name="leafSize"/>, and room in <paramref name="leafHashes"/> for every leaf. Faster than one
    /// <see cref="HashLeaf(ReadOnlySpan{byte})"/> per leaf where the CPU can hash several messages at once.
    /// </summary>
    public static void HashLeaves(ReadOnlySpan<byte> leaves, int leafSize, Span<Hash> leafHashes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(leafSize);
        if (leaves.Length % leafSize != 0)
        {
            throw new ArgumentException(
                $"Leaves of {leafSize} bytes need a multiple of {leafSize} bytes; got {leaves.Length}.", nameof(leaves));
        }

        var count = leaves.Length / leafSize;
        ArgumentOutOfRangeException.ThrowIfLessThan(leafHashes.Length, count, nameof(leafHashes));
        Sha256Kernel.HashLeaves(leaves, leafSize, leafHashes[..count]);
    }

    /// <summary>Hashes two children: SHA-256(0x01 || <paramref name="left"/> || <paramref name="right"/>).</summary>
    public static Hash HashChildren(in Hash left, in Hash right) => Sha256Kernel.HashChildren(left, right);

    /// <summary>
    /// Hashes consecutive pairs: <c>parents[i] = HashChildren(children[2i], children[2i+1])</c>.
    /// Requires an even number of children and <c>parents.Length &gt;= children.Length / 2</c>.
    /// </summary>
    public static void HashChildren(ReadOnlySpan<Hash> children, Span<Hash> parents)
    {
        if (children.Length % 2 != 0)
        {
            throw new ArgumentException($"Need an even number of children; got {children.Length}.", nameof(children));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(parents.Length, children.Length / 2, nameof(parents));
        Sha256Kernel.HashPairs(children, parents[..(children.Length / 2)]);
    }
}
