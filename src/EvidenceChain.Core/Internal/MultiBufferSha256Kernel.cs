using System.Runtime.InteropServices;

namespace EvidenceChain.Internal;

/// <summary>
/// Hashes tree levels with <see cref="MultiBufferSha256{TLanes, TVector}"/>, <c>TLanes.Count</c> nodes at a time,
/// and leaves everything a single stream does better (one message, or a short tail of a level) to
/// <see cref="Single"/>. Stateless and thread-safe.
/// </summary>
internal sealed class MultiBufferSha256Kernel<TLanes, TVector> : ISha256Kernel
    where TLanes : struct, ISha256Lanes<TVector>
    where TVector : struct
{
    private const int PairSize = 2 * EvidenceChain.Hash.Size;

    /// <summary>Creates the kernel; <paramref name="minimumTail"/> is the fewest leftover pairs worth a vector pass.</summary>
    public MultiBufferSha256Kernel(ISha256Kernel single, int minimumTail)
    {
        Single = single;
        MinimumTail = Math.Clamp(minimumTail, 1, TLanes.Count);
    }

    /// <summary>The kernel for single messages.</summary>
    public ISha256Kernel Single { get; }

    /// <summary>A level's last pairs go through a padded vector pass when there are at least this many.</summary>
    public int MinimumTail { get; }

    public string Name => $"{TLanes.Name} + {Single.Name}";

    /// <summary>The kernel when this CPU has the instructions and it passes a self-test against .NET's SHA-256; else null.</summary>
    public static MultiBufferSha256Kernel<TLanes, TVector>? TryCreate(ISha256Kernel single, int minimumTail)
    {
        if (!TLanes.IsSupported)
        {
            return null;
        }

        var kernel = new MultiBufferSha256Kernel<TLanes, TVector>(single, minimumTail);
        return Sha256SelfTest.HashPairsMatchesManaged(kernel) ? kernel : null;
    }

    public void Hash(ReadOnlySpan<byte> message, Span<byte> digest) => Single.Hash(message, digest);

    public void HashPrefixed(byte prefix, ReadOnlySpan<byte> message, Span<byte> digest) =>
        Single.HashPrefixed(prefix, message, digest);

    public void HashPrefixedBatch(byte prefix, ReadOnlySpan<byte> messages, int length, Span<Hash> digests)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(messages.Length, length * digests.Length, nameof(messages));
        var lanes = TLanes.Count;
        var output = MemoryMarshal.AsBytes(digests);
        var done = 0;
        for (; done + lanes <= digests.Length; done += lanes)
        {
            MultiBufferSha256<TLanes, TVector>.HashPrefixed(
                prefix,
                messages.Slice(done * length, lanes * length),
                length,
                output.Slice(done * EvidenceChain.Hash.Size, lanes * EvidenceChain.Hash.Size));
        }

        // A batch's last few messages: not worth padding a vector pass with copies of arbitrary length.
        Single.HashPrefixedBatch(prefix, messages[(done * length)..], length, digests[done..]);
    }

    public Hash HashNode(in Hash left, in Hash right) => Single.HashNode(left, right);

    public void HashPairs(ReadOnlySpan<Hash> children, Span<Hash> parents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(children.Length, parents.Length * 2, nameof(children));
        var lanes = TLanes.Count;
        var input = MemoryMarshal.AsBytes(children);
        var output = MemoryMarshal.AsBytes(parents);
        var done = 0;
        for (; done + lanes <= parents.Length; done += lanes)
        {
            MultiBufferSha256<TLanes, TVector>.HashNodes(
                ref MemoryMarshal.GetReference(input[(done * PairSize)..]),
                ref MemoryMarshal.GetReference(output[(done * EvidenceChain.Hash.Size)..]));
        }

        var tail = parents.Length - done;
        if (tail == 0)
        {
            return;
        }

        if (tail < MinimumTail)
        {
            Single.HashPairs(children[(done * 2)..], parents[done..]);
            return;
        }

        // Unused lanes hash whatever the stack holds; only the real pairs' digests are copied out.
        Span<byte> pairs = stackalloc byte[16 * PairSize];
        Span<byte> digests = stackalloc byte[16 * EvidenceChain.Hash.Size];
        input.Slice(done * PairSize, tail * PairSize).CopyTo(pairs);
        MultiBufferSha256<TLanes, TVector>.HashNodes(ref MemoryMarshal.GetReference(pairs), ref MemoryMarshal.GetReference(digests));
        digests[..(tail * EvidenceChain.Hash.Size)].CopyTo(output[(done * EvidenceChain.Hash.Size)..]);
    }
}
