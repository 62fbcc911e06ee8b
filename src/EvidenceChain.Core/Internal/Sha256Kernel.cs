using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Core.Internal;

/// <summary>
/// The one place where Merkle tree hashing calls SHA-256. Every hashing site (roots, tiles, proofs, audit,
/// verification) goes through here, so a faster kernel lands everywhere at once. The kernel is chosen once, per
/// operation, and each candidate must pass a self-test against .NET's SHA-256 first. In a browser (WebAssembly), or
/// with the <see cref="KernelPlatform.ManagedOnlySwitch"/> switch on, only the managed kernel is used. Single messages (leaves,
/// proof chains): OpenSSL's low-level SHA-256 where libcrypto loads, else .NET's. Batches (tree levels, batches of
/// equal-size leaves): a multi-buffer SIMD SHA-256, 16 lanes with AVX-512 or 8 with AVX2, else the single-message
/// kernel. Figures and the reasons for this split: bench/README.md.
/// </summary>
internal static class Sha256Kernel
{
    // The fewest leftover pairs of a level that are worth a padded vector pass rather than single hashes.
    // Measured with Sha256KernelBenchmarks on Zen 5: a 16-lane pass costs about as much as nine single node
    // hashes through libcrypto, an 8-lane AVX2 pass about six.
    private const int MinimumTail16 = 10;
    private const int MinimumTail8 = 7;

    private static readonly (ISha256Kernel Single, ISha256Kernel Batch) Chosen = Select(KernelPlatform.Current, LibCryptoSha256Kernel.TryCreate);

    /// <summary>
    /// The kernel for single messages (leaves, proof chains): libcrypto where it loads, else .NET. Calls go to it
    /// directly rather than through <see cref="Current"/>, so the JIT sees one known type behind this read-only
    /// static and can devirtualise them.
    /// </summary>
    public static ISha256Kernel Single { get; } = Chosen.Single;

    /// <summary>The kernel for batches (tree levels, leaf batches); it hands single messages to <see cref="Single"/>.</summary>
    public static ISha256Kernel Current { get; } = Chosen.Batch;

    /// <summary>
    /// Chooses the kernels for <paramref name="platform"/>. Where native libraries cannot load (a browser), libcrypto
    /// is not tried; where it is tried and the library is missing or unusable in any way, the managed kernel is chosen
    /// and nothing is thrown. SIMD kernels are only looked at where the platform allows them.
    /// </summary>
    internal static (ISha256Kernel Single, ISha256Kernel Batch) Select(KernelPlatform platform, Func<ISha256Kernel?> loadLibCrypto)
    {
        ISha256Kernel single = ManagedSha256Kernel.Instance;
        if (platform.NativeLibraries)
        {
            try
            {
                single = loadLibCrypto() ?? single;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
                or PlatformNotSupportedException or NotSupportedException or MarshalDirectiveException)
            {
                // No usable libcrypto here: the portable kernel does the work, a little slower.
            }
        }

        return (single, platform.Simd ? ChooseSimd(single) : single);
    }

    // Kept out of Select so that a platform without x86 SIMD never loads the vector kernel types at all.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ISha256Kernel ChooseSimd(ISha256Kernel single)
    {
        return (ISha256Kernel?)MultiBufferSha256Kernel<Avx512Lanes, Vector512<uint>>.TryCreate(single, MinimumTail16)
            ?? (ISha256Kernel?)MultiBufferSha256Kernel<Avx2Lanes, Vector256<uint>>.TryCreate(single, MinimumTail8)
            ?? single;
    }

    public static Hash HashLeaf(ReadOnlySpan<byte> leaf) => HashLeaf(Single, leaf);

    public static Hash HashLeaf(ISha256Kernel kernel, ReadOnlySpan<byte> leaf)
    {
        Span<byte> digest = stackalloc byte[Hash.Size];
        kernel.HashPrefixed(Rfc6962.LeafPrefix, leaf, digest);
        return new Hash(digest);
    }

    public static void HashLeaves(ReadOnlySpan<byte> leaves, int leafSize, Span<Hash> leafHashes) =>
        Current.HashPrefixedBatch(Rfc6962.LeafPrefix, leaves, leafSize, leafHashes);

    public static Hash HashChildren(in Hash left, in Hash right) => Single.HashNode(left, right);

    public static void HashPairs(ReadOnlySpan<Hash> children, Span<Hash> parents) => Current.HashPairs(children, parents);
}
