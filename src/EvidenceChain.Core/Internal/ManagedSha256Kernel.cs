using System.Runtime.InteropServices;
using System.Security.Cryptography;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Core.Internal;

/// <summary>The portable kernel: .NET's <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>, one call per message.</summary>
internal sealed class ManagedSha256Kernel : ISha256Kernel
{
    public static ManagedSha256Kernel Instance { get; } = new();

    public string Name => "dotnet-SHA256.HashData";

    public void Hash(ReadOnlySpan<byte> message, Span<byte> digest) => SHA256.HashData(message, digest);

    public void HashPrefixed(byte prefix, ReadOnlySpan<byte> message, Span<byte> digest)
    {
        if (message.Length < 1024)
        {
            Span<byte> buffer = stackalloc byte[message.Length + 1];
            buffer[0] = prefix;
            message.CopyTo(buffer[1..]);
            SHA256.HashData(buffer, digest);
            return;
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([prefix]);
        sha.AppendData(message);
        sha.GetHashAndReset(digest);
    }

    public void HashPrefixedBatch(byte prefix, ReadOnlySpan<byte> messages, int length, Span<Hash> digests)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(messages.Length, length * digests.Length, nameof(messages));
        var output = MemoryMarshal.AsBytes(digests);
        for (var i = 0; i < digests.Length; i++)
        {
            HashPrefixed(prefix, messages.Slice(i * length, length), output.Slice(i * EvidenceChain.Core.Hash.Size, EvidenceChain.Core.Hash.Size));
        }
    }

    public Hash HashNode(in Hash left, in Hash right)
    {
        Span<byte> input = stackalloc byte[1 + (2 * EvidenceChain.Core.Hash.Size)];
        Span<byte> digest = stackalloc byte[EvidenceChain.Core.Hash.Size];
        input[0] = Rfc6962.NodePrefix;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + EvidenceChain.Core.Hash.Size)..]);
        SHA256.HashData(input, digest);
        return new Hash(digest);
    }

    public void HashPairs(ReadOnlySpan<Hash> children, Span<Hash> parents)
    {
        Span<byte> input = stackalloc byte[1 + (2 * EvidenceChain.Core.Hash.Size)];
        Span<byte> digest = stackalloc byte[EvidenceChain.Core.Hash.Size];
        input[0] = Rfc6962.NodePrefix;
        var bytes = EvidenceChain.Core.Hash.AsBytes(children);
        for (var i = 0; i < parents.Length; i++)
        {
            bytes.Slice(i * 2 * EvidenceChain.Core.Hash.Size, 2 * EvidenceChain.Core.Hash.Size).CopyTo(input[1..]);
            SHA256.HashData(input, digest);
            parents[i] = new Hash(digest);
        }
    }
}
