using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EvidenceChain.Core.Internal;

/// <summary>
/// Hashes tree levels and leaf batches with <see cref="MultiBufferSha256{TLanes, TVector}"/>, <c>TLanes.Count</c>
/// messages at a time, and leaves everything a single stream does better (one message, or a short tail of a
/// batch) to <see cref="Single"/>. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// The batch methods are compiled fully optimised at once: each call is one long loop, called too few times for
/// tiered compilation to reach its optimised version soon.
/// </remarks>
internal sealed class MultiBufferSha256Kernel<TLanes, TVector> : ISha256Kernel
    where TLanes : struct, ISha256Lanes<TVector>
    where TVector : struct
{
    private const int PairSize = 2 * EvidenceChain.Core.Hash.Size;

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
        return Sha256SelfTest.HashPairsMatchesManaged(kernel) && Sha256SelfTest.HashPrefixedBatchMatchesManaged(kernel)
            && Sha256SelfTest.HashChainsMatchesManaged(kernel)
            ? kernel
            : null;
    }

    public void Hash(ReadOnlySpan<byte> message, Span<byte> digest) => Single.Hash(message, digest);

    public void HashPrefixed(byte prefix, ReadOnlySpan<byte> message, Span<byte> digest) =>
        Single.HashPrefixed(prefix, message, digest);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void HashPrefixedBatch(byte prefix, ReadOnlySpan<byte> messages, int length, Span<Hash> digests)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(messages.Length, length * digests.Length, nameof(messages));
        var lanes = TLanes.Count;
        var groups = digests.Length / lanes;
        if (groups > 0)
        {
            // Each lane's tail row: the message bytes after its last whole block, then the padding (FIPS 180-4
            // §5.1.1) of prefix || message, one byte early (see MultiBufferSha256.HashPrefixed). Only the
            // message bytes change from group to group.
            var rest = length % 64;
            var tailBytes = rest + 10 <= 64 ? 64 : 128;
            Span<byte> tails = stackalloc byte[16 * 128];
            tails.Clear();
            for (var lane = 0; lane < lanes; lane++)
            {
                var row = tails.Slice(lane * tailBytes, tailBytes);
                row[rest] = 0x80;
                BinaryPrimitives.WriteUInt64BigEndian(row[(tailBytes - 9)..], ((ulong)length + 1) * 8);
            }

            var output = MemoryMarshal.AsBytes(digests);
            for (var group = 0; group < groups; group++)
            {
                var first = messages.Slice(group * lanes * length, lanes * length);
                for (var lane = 0; lane < lanes; lane++)
                {
                    first.Slice((lane * length) + length - rest, rest).CopyTo(tails[(lane * tailBytes)..]);
                }

                MultiBufferSha256<TLanes, TVector>.HashPrefixed(
                    prefix,
                    ref MemoryMarshal.GetReference(first),
                    length,
                    ref MemoryMarshal.GetReference(tails),
                    tailBytes,
                    ref MemoryMarshal.GetReference(output[(group * lanes * EvidenceChain.Core.Hash.Size)..]));
            }
        }

        // A batch's last few messages: not worth a vector pass.
        var done = groups * lanes;
        Single.HashPrefixedBatch(prefix, messages[(done * length)..], length, digests[done..]);
    }

    public Hash HashNode(in Hash left, in Hash right) => Single.HashNode(left, right);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                ref MemoryMarshal.GetReference(output[(done * EvidenceChain.Core.Hash.Size)..]));
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
        Span<byte> digests = stackalloc byte[16 * EvidenceChain.Core.Hash.Size];
        input.Slice(done * PairSize, tail * PairSize).CopyTo(pairs);
        MultiBufferSha256<TLanes, TVector>.HashNodes(ref MemoryMarshal.GetReference(pairs), ref MemoryMarshal.GetReference(digests));
        digests[..(tail * EvidenceChain.Core.Hash.Size)].CopyTo(output[(done * EvidenceChain.Core.Hash.Size)..]);
    }

    /// <summary>
    /// Chains go through the lanes, each lane taking the next chain when its own ends; fewer chains than
    /// <see cref="MinimumTail"/> go to <see cref="Single"/> one node at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void HashChains(ReadOnlySpan<Hash> starts, ReadOnlySpan<Hash> siblings, ReadOnlySpan<HashChain> chains, Span<Hash> ends)
    {
        HashChain.CheckLengths(starts, chains, ends);
        if (chains.Length < MinimumTail)
        {
            HashChain.FoldOneByOne(Single, starts, siblings, chains, ends);
            return;
        }

        foreach (var chain in chains)
        {
            if (chain.Offset < 0 || chain.Length < 0 || chain.Length > 64 || chain.Offset > siblings.Length - chain.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(chains), $"A chain of {chain.Length} steps at {chain.Offset} is not within the {siblings.Length} siblings.");
            }
        }

        MultiBufferSha256<TLanes, TVector>.HashChains(starts, siblings, chains, ends);
    }
}
