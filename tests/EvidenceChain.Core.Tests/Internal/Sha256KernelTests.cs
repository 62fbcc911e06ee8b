using System.Security.Cryptography;
using EvidenceChain.Core.Internal;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Internal;

/// <summary>Every kernel the hashing can take is checked bit for bit against .NET's SHA-256.</summary>
public sealed class Sha256KernelTests
{
    /// <summary>Every kernel this machine can run, by name: the single-message ones and each SIMD width over each of them.</summary>
    public static TheoryData<string> Kernels() => [.. TestKernels.Available()];

    private static ISha256Kernel Kernel(string name) => TestKernels.Create(name);

    [Fact]
    public void LibCrypto_OnLinuxWithOpenSsl_IsAvailableAndChosen()
    {
        // This machine kind (Debian, libssl3) has libcrypto; elsewhere the portable kernel is chosen and tested.
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
        {
            return;
        }

        Assert.NotNull(LibCryptoSha256Kernel.TryCreate());
        Assert.StartsWith("libcrypto", Sha256Kernel.Single.Name, StringComparison.Ordinal);
        Assert.Contains("libcrypto", Sha256Kernel.Current.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void Current_OnAvx512Cpu_HashesLevelsSixteenAtATime()
    {
        if (!Avx512Lanes.IsSupported)
        {
            return;
        }

        Assert.StartsWith(Avx512Lanes.Name, Sha256Kernel.Current.Name, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Hash_EveryLengthUpTo300_MatchesDotNet(string name)
    {
        var kernel = Kernel(name);
        var message = new byte[300];
        new Random(7).NextBytes(message);
        Span<byte> digest = stackalloc byte[32];
        for (var length = 0; length <= message.Length; length++)
        {
            kernel.Hash(message.AsSpan(0, length), digest);
            Assert.True(digest.SequenceEqual(SHA256.HashData(message.AsSpan(0, length))), $"length {length}");
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void HashPrefixed_EveryLengthUpTo300_MatchesDotNet(string name)
    {
        var kernel = Kernel(name);
        var message = new byte[301];
        new Random(9).NextBytes(message);
        Span<byte> digest = stackalloc byte[32];
        for (var length = 0; length <= 300; length++)
        {
            kernel.HashPrefixed(message[300], message.AsSpan(0, length), digest);
            var expected = SHA256.HashData([message[300], .. message.AsSpan(0, length)]);
            Assert.True(digest.SequenceEqual(expected), $"length {length}");
        }
    }

    [Property(MaxTest = 200)]
    public Property Hash_RandomMessages_MatchDotNet(byte[] message) =>
        Prop.ForAll(Gen.Elements(TestKernels.Available()).ToArbitrary(), name =>
        {
            Span<byte> digest = stackalloc byte[32];
            Kernel(name).Hash(message, digest);
            return digest.SequenceEqual(SHA256.HashData(message));
        });

    [Theory]
    [MemberData(nameof(Kernels))]
    public void HashPairs_RandomChildren_MatchTheDefinition(string name)
    {
        var kernel = Kernel(name);
        var random = new Random(11);
        foreach (var pairs in new[] { 0, 1, 2, 3, 17, 256, 1000 })
        {
            var children = new Hash[pairs * 2];
            var bytes = new byte[32];
            for (var i = 0; i < children.Length; i++)
            {
                random.NextBytes(bytes);
                children[i] = new Hash(bytes);
            }

            var parents = new Hash[pairs];
            kernel.HashPairs(children, parents);

            for (var i = 0; i < pairs; i++)
            {
                var input = new byte[65];
                input[0] = 0x01;
                children[2 * i].CopyTo(input.AsSpan(1));
                children[(2 * i) + 1].CopyTo(input.AsSpan(33));
                Assert.Equal(new Hash(SHA256.HashData(input)), parents[i]);
            }
        }
    }

    [Property(MaxTest = 300)]
    public Property HashNode_RandomChildren_MatchesTheDefinition(byte[] left, byte[] right) =>
        Prop.ForAll(Gen.Elements(TestKernels.Available()).ToArbitrary(), name =>
        {
            var l = ToHash(left);
            var r = ToHash(right);
            return Kernel(name).HashNode(l, r) == NodeReference(l, r);
        });

    [Property(MaxTest = 300)]
    public Property HashPairs_RandomBatchSizes_MatchTheDefinition(byte[] seed) =>
        Prop.ForAll(
            Gen.Elements(TestKernels.Available()).ToArbitrary(),
            Gen.OneOf(Gen.Choose(0, 40), Gen.Choose(0, 300)).ToArbitrary(),
            (name, pairs) =>
            {
                var children = RandomHashes(pairs * 2, seed);
                var parents = new Hash[pairs];
                Kernel(name).HashPairs(children, parents);
                return Enumerable.Range(0, pairs).All(i => parents[i] == NodeReference(children[2 * i], children[(2 * i) + 1]));
            });

    [Property(MaxTest = 100)]
    public Property HashPairs_InPlace_MatchesTheDefinition(byte[] seed) =>
        Prop.ForAll(
            Gen.Elements(TestKernels.Available()).ToArbitrary(),
            Gen.Choose(0, 100).ToArbitrary(),
            (name, pairs) =>
            {
                // Levels are hashed in place (MerkleMath.PerfectRoot): parents overwrite the first half of children.
                var children = RandomHashes(pairs * 2, seed);
                var level = (Hash[])children.Clone();
                Kernel(name).HashPairs(level, level.AsSpan(0, pairs));
                return Enumerable.Range(0, pairs).All(i => level[i] == NodeReference(children[2 * i], children[(2 * i) + 1]));
            });

    [Property(MaxTest = 300)]
    public Property HashPrefixed_RandomMessages_MatchDotNet(byte prefix, byte[] message) =>
        Prop.ForAll(Gen.Elements(TestKernels.Available()).ToArbitrary(), name =>
        {
            Span<byte> digest = stackalloc byte[32];
            Kernel(name).HashPrefixed(prefix, message, digest);
            return digest.SequenceEqual(SHA256.HashData([prefix, .. message]));
        });

    [Property(MaxTest = 300)]
    public Property HashPrefixedBatch_RandomLengthsAndCounts_MatchDotNet(byte prefix, byte[] seed) =>
        Prop.ForAll(
            Gen.Elements(TestKernels.Available()).ToArbitrary(),
            Gen.OneOf(Gen.Choose(0, 140), Gen.Choose(0, 1100)).ToArbitrary(),
            Gen.OneOf(Gen.Choose(0, 40), Gen.Elements(16, 32, 48)).ToArbitrary(),
            (name, length, count) =>
            {
                // Lengths cover 0, every padding boundary of one to three blocks, and long leaves; counts cover
                // empty, fewer than a vector's lanes, whole groups and groups with a tail.
                var messages = new byte[length * count];
                new Random(seed.Aggregate(5, (h, b) => unchecked((h * 31) + b))).NextBytes(messages);
                var digests = new Hash[count];
                Kernel(name).HashPrefixedBatch(prefix, messages, length, digests);
                return Enumerable.Range(0, count).All(i =>
                    digests[i] == new Hash(SHA256.HashData([prefix, .. messages.AsSpan(i * length, length)])));
            });

    [Theory]
    [MemberData(nameof(Kernels))]
    public void HashPrefixedBatch_EveryLengthUpTo200_MatchesDotNet(string name)
    {
        var kernel = Kernel(name);
        var random = new Random(13);
        for (var length = 0; length <= 200; length++)
        {
            var messages = new byte[length * 17];
            random.NextBytes(messages);
            var digests = new Hash[17];
            kernel.HashPrefixedBatch(0x00, messages, length, digests);
            for (var i = 0; i < digests.Length; i++)
            {
                var expected = new Hash(SHA256.HashData([0x00, .. messages.AsSpan(i * length, length)]));
                Assert.True(expected == digests[i], $"length {length}, message {i}");
            }
        }
    }

    [Property(MaxTest = 200)]
    public Property HashChains_RandomLengthsSidesAndCounts_MatchTheDefinition(byte[] seed) =>
        Prop.ForAll(
            Gen.Elements(TestKernels.Available()).ToArbitrary(),
            Gen.OneOf(Gen.Choose(0, 20), Gen.Choose(0, 200), Gen.Elements(15, 16, 17, 33)).ToArbitrary(),
            Gen.Elements(0, 1, 5, 25, 64).ToArbitrary(),
            (name, count, maxLength) =>
            {
                var random = new Random(seed.Aggregate(19, (h, b) => unchecked((h * 31) + b)) ^ (count * 7) ^ maxLength);
                AssertChainsMatchDefinition(Kernel(name), random, count, maxLength);
                return true;
            });

    [Theory]
    [MemberData(nameof(Kernels))]
    public void HashChains_ManyChainsOfMixedLengths_MatchTheDefinition(string name)
    {
        // More chains than lanes, lengths from 0 to 64 in random order (lanes end at different steps and are
        // refilled), and equal lengths (every lane ends at once).
        var kernel = Kernel(name);
        AssertChainsMatchDefinition(kernel, new Random(43), 1_000, 64);
        AssertChainsMatchDefinition(kernel, new Random(47), 100, 0);
        var starts = RandomHashes(64, [1]);
        var siblings = RandomHashes(64 * 20, [2]);
        var chains = Enumerable.Range(0, 64).Select(i => new HashChain(i * 20, 20, (ulong)i * 0x5DEECE66DUL)).ToArray();
        var ends = new Hash[64];
        kernel.HashChains(starts, siblings, chains, ends);
        Assert.Equal(ChainsReference(starts, siblings, chains), ends);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void HashChains_StartsOrEndsOfAnotherLength_Throws(string name)
    {
        var kernel = Kernel(name);
        var chains = new HashChain[20];
        Assert.Throws<ArgumentException>(() => kernel.HashChains(new Hash[19], [], chains, new Hash[20]));
        Assert.Throws<ArgumentException>(() => kernel.HashChains(new Hash[20], [], chains, new Hash[21]));
    }

    private static void AssertChainsMatchDefinition(ISha256Kernel kernel, Random random, int count, int maxLength)
    {
        var chains = new HashChain[count];
        var offset = random.Next(3);
        for (var i = 0; i < count; i++)
        {
            var length = random.Next(maxLength + 1);
            chains[i] = new HashChain(offset, length, (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63));
            offset += length + random.Next(2);
        }

        var bytes = new byte[32 * (offset + count)];
        random.NextBytes(bytes);
        var all = Hash.FromConcatenated(bytes).ToArray();
        var starts = all[..count];
        var siblings = all[count..];
        var ends = new Hash[count];
        kernel.HashChains(starts, siblings, chains, ends);
        var expected = ChainsReference(starts, siblings, chains);
        for (var i = 0; i < count; i++)
        {
            Assert.True(expected[i] == ends[i], $"{kernel.Name}: chain {i} of {count} ({chains[i].Length} steps)");
        }
    }

    /// <summary>The chains folded with SHA-256 of each node message, from the definition.</summary>
    private static Hash[] ChainsReference(Hash[] starts, Hash[] siblings, HashChain[] chains) =>
        [.. chains.Select((chain, i) =>
        {
            var node = starts[i];
            for (var step = 0; step < chain.Length; step++)
            {
                var sibling = siblings[chain.Offset + step];
                node = ((chain.LeftMask >> step) & 1) != 0 ? NodeReference(sibling, node) : NodeReference(node, sibling);
            }

            return node;
        })];

    private static Hash ToHash(byte[] bytes)
    {
        var padded = new byte[32];
        bytes.AsSpan(0, Math.Min(32, bytes.Length)).CopyTo(padded);
        return new Hash(padded);
    }

    private static Hash[] RandomHashes(int count, byte[] seed)
    {
        var random = new Random(seed.Aggregate(17, (h, b) => unchecked((h * 31) + b)));
        var bytes = new byte[32 * count];
        random.NextBytes(bytes);
        return [.. Hash.FromConcatenated(bytes)];
    }

    private static Hash NodeReference(Hash left, Hash right)
    {
        var input = new byte[65];
        input[0] = 0x01;
        left.CopyTo(input.AsSpan(1));
        right.CopyTo(input.AsSpan(33));
        return new Hash(SHA256.HashData(input));
    }
}
