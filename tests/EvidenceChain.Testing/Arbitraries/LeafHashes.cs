using System.Buffers.Binary;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Testing.Arbitraries;

/// <summary>
/// A list of distinct leaf hashes derived from (<see cref="Count"/>, <see cref="Seed"/>): leaf i hashes the
/// 8 bytes seed || i. Deriving them keeps generation cheap and makes a failing case print as two numbers
/// that reproduce it exactly.
/// </summary>
/// <remarks>Immutable.</remarks>
public sealed class LeafHashes
{
    private readonly Hash[] _hashes;

    /// <summary>Creates <paramref name="count"/> leaf hashes from <paramref name="seed"/>.</summary>
    public LeafHashes(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        Seed = seed;
        _hashes = new Hash[count];
        Span<byte> leaf = stackalloc byte[8];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(leaf, seed);
            BinaryPrimitives.WriteInt32BigEndian(leaf[4..], i);
            _hashes[i] = Rfc6962.HashLeaf(leaf);
        }
    }

    /// <summary>Number of leaves.</summary>
    public int Count { get; }

    /// <summary>The seed the leaves derive from.</summary>
    public int Seed { get; }

    /// <summary>The leaf hashes, in order.</summary>
    public IReadOnlyList<Hash> Hashes => _hashes;

    /// <summary>The leaf hashes as a span.</summary>
    public ReadOnlySpan<Hash> Span => _hashes;

    /// <summary>The first <paramref name="count"/> leaves (the same hashes).</summary>
    public LeafHashes Take(int count) => new(count, Seed);

    /// <inheritdoc/>
    public override string ToString() => $"LeafHashes(count: {Count}, seed: {Seed})";
}
