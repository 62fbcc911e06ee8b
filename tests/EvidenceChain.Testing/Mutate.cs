using EvidenceChain.Core;

namespace EvidenceChain.Testing;

/// <summary>Small mutations of hashes and proofs for negative tests.</summary>
public static class Mutate
{
    /// <summary>Number of bits in a hash.</summary>
    public const int HashBits = Hash.Size * 8;

    /// <summary><paramref name="hash"/> with bit <paramref name="bit"/> (0 to 255; bit 0 is the low bit of byte 0) inverted.</summary>
    public static Hash FlipBit(Hash hash, int bit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bit);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bit, HashBits);
        Span<byte> bytes = stackalloc byte[Hash.Size];
        hash.CopyTo(bytes);
        bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        return new Hash(bytes);
    }

    /// <summary>A copy of <paramref name="proof"/> with element <paramref name="index"/> replaced.</summary>
    public static Hash[] With(IReadOnlyList<Hash> proof, int index, Hash value)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var copy = proof.ToArray();
        copy[index] = value;
        return copy;
    }

    /// <summary>A copy of <paramref name="proof"/> with elements <paramref name="i"/> and <paramref name="j"/> swapped.</summary>
    public static Hash[] Swap(IReadOnlyList<Hash> proof, int i, int j)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var copy = proof.ToArray();
        (copy[i], copy[j]) = (copy[j], copy[i]);
        return copy;
    }
}
