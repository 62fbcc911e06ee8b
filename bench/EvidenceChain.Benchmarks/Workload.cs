using System.Buffers.Binary;
using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Benchmarks;

/// <summary>
/// The workloads of bench/reference (merkle_openssl.c): leaf data i = SHA-256(uint64 big-endian i) for
/// i in [0, 2^20); W2's proof indices come from splitmix64 seeded with 42.
/// </summary>
internal static class Workload
{
    public const int Leaves = 1 << 20;
    public const int Proofs = 100_000;

    public static byte[] LeafData()
    {
        var data = new byte[Leaves * 32];
        Span<byte> input = stackalloc byte[8];
        for (var i = 0; i < Leaves; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(input, (ulong)i);
            SHA256.HashData(input, data.AsSpan(i * 32, 32));
        }

        return data;
    }

    /// <summary>The leaf hashes, through the batch API (the leaves are all 32 bytes).</summary>
    public static Hash[] LeafHashes(byte[] data)
    {
        var hashes = new Hash[Leaves];
        Rfc6962.HashLeaves(data, 32, hashes);
        return hashes;
    }

    public static ulong[] ProofIndices()
    {
        var indices = new ulong[Proofs];
        var state = 42UL;
        for (var i = 0; i < Proofs; i++)
        {
            // splitmix64 wraps by definition.
            unchecked
            {
                state += 0x9E3779B97F4A7C15UL;
                var z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                indices[i] = (z ^ (z >> 31)) % Leaves;
            }
        }

        return indices;
    }
}
