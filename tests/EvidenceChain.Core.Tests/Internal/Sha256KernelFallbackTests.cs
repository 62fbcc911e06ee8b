using EvidenceChain.Core.Internal;

namespace EvidenceChain.Core.Tests.Internal;

/// <summary>
/// Where there is no libcrypto or no SIMD (a browser), the kernel selection falls back to the managed kernel without
/// an exception, and the fallback gets the RFC 6962 answers right.
/// </summary>
public sealed class Sha256KernelFallbackTests
{
    // RFC 6962 leaf hash of the empty leaf, and the root of the eight-leaf reference tree used by Certificate
    // Transparency's tests; reproduce with: python3 -c "import hashlib; print(hashlib.sha256(b'\x00').hexdigest())".
    private const string EmptyLeaf = "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d";
    private const string EightLeafRoot = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";

    private static readonly byte[][] Leaves =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ];

    [Fact]
    public void Select_ManagedOnlyPlatform_NeverTriesLibCryptoAndUsesTheManagedKernel()
    {
        var tried = false;

        var (single, batch) = Sha256Kernel.Select(KernelPlatform.ManagedOnly, () =>
        {
            tried = true;
            return LibCryptoSha256Kernel.TryCreate();
        });

        Assert.False(tried);
        Assert.Same(ManagedSha256Kernel.Instance, single);
        Assert.Same(ManagedSha256Kernel.Instance, batch);
    }

    [Theory]
    [InlineData(typeof(DllNotFoundException))]
    [InlineData(typeof(EntryPointNotFoundException))]
    [InlineData(typeof(PlatformNotSupportedException))]
    public void Select_LibCryptoLoadThrows_FallsBackWithoutException(Type failure)
    {
        var (single, _) = Sha256Kernel.Select(
            new KernelPlatform(NativeLibraries: true, Simd: false), () => throw (Exception)Activator.CreateInstance(failure)!);

        Assert.Same(ManagedSha256Kernel.Instance, single);
    }

    [Fact]
    public void Select_NoLibCrypto_SimdStillOverTheManagedKernel()
    {
        var (single, batch) = Sha256Kernel.Select(new KernelPlatform(NativeLibraries: true, Simd: true), () => null);

        Assert.Same(ManagedSha256Kernel.Instance, single);
        Assert.EndsWith(ManagedSha256Kernel.Instance.Name, batch.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void ManagedOnlyKernels_ReferenceTree_HaveTheKnownRoot()
    {
        var (single, batch) = Sha256Kernel.Select(KernelPlatform.ManagedOnly, () => throw new DllNotFoundException());

        Assert.Equal(EmptyLeaf, Sha256Kernel.HashLeaf(single, []).ToString());
        Assert.Equal(EightLeafRoot, Root(single, batch).ToString());
        Assert.True(Sha256SelfTest.HashPairsMatchesManaged(batch));
        Assert.True(Sha256SelfTest.HashPrefixedBatchMatchesManaged(batch));
    }

    [Fact]
    public void CurrentKernels_ReferenceTree_HaveTheSameRoot()
    {
        // The control: whatever this machine chose (libcrypto, SIMD) agrees with the fallback.
        Assert.Equal(EightLeafRoot, Root(Sha256Kernel.Single, Sha256Kernel.Current).ToString());
        Assert.Equal(EightLeafRoot, EvidenceChain.Core.Merkle.MerkleMath.Root([.. Leaves.Select(l => Sha256Kernel.HashLeaf(l))]).ToString());
    }

    [Fact]
    public void Current_ManagedOnlySwitchOff_IsNotForced()
    {
        Assert.False(AppContext.TryGetSwitch(KernelPlatform.ManagedOnlySwitch, out var on) && on);
        Assert.Equal(!OperatingSystem.IsBrowser(), KernelPlatform.Current.NativeLibraries);
    }

    /// <summary>The eight-leaf tree, level by level: leaves with the single kernel, pairs with the batch kernel.</summary>
    private static Hash Root(ISha256Kernel single, ISha256Kernel batch)
    {
        Hash[] level = [.. Leaves.Select(leaf => Sha256Kernel.HashLeaf(single, leaf))];
        while (level.Length > 1)
        {
            var parents = new Hash[level.Length / 2];
            batch.HashPairs(level, parents);
            level = parents;
        }

        return level[0];
    }
}
