using EvidenceChain.Core.Internal;

namespace EvidenceChain.Core.Tests.Internal;

/// <summary>The start-up self-tests that gate each fast kernel must reject a kernel that is wrong anywhere they look.</summary>
public sealed class Sha256SelfTestTests
{
    [Fact]
    public void HashPairsMatchesManaged_CorrectKernel_Passes()
    {
        Assert.True(Sha256SelfTest.HashPairsMatchesManaged(ManagedSha256Kernel.Instance));
        Assert.True(Sha256SelfTest.HashPrefixedBatchMatchesManaged(ManagedSha256Kernel.Instance));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(39)]
    public void HashPairsMatchesManaged_OneWrongParent_Fails(int wrongIndex)
    {
        Assert.False(Sha256SelfTest.HashPairsMatchesManaged(new OneWrongOutput(wrongIndex)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public void HashPrefixedBatchMatchesManaged_OneWrongDigest_Fails(int wrongIndex)
    {
        Assert.False(Sha256SelfTest.HashPrefixedBatchMatchesManaged(new OneWrongOutput(wrongIndex)));
    }

    /// <summary>The managed kernel, except that batch output <c>wrongIndex</c> has one bit flipped.</summary>
    private sealed class OneWrongOutput(int wrongIndex) : ISha256Kernel
    {
        public string Name => "one-wrong-output";

        public void Hash(ReadOnlySpan<byte> message, Span<byte> digest) => ManagedSha256Kernel.Instance.Hash(message, digest);

        public void HashPrefixed(byte prefix, ReadOnlySpan<byte> message, Span<byte> digest) =>
            ManagedSha256Kernel.Instance.HashPrefixed(prefix, message, digest);

        public void HashPrefixedBatch(byte prefix, ReadOnlySpan<byte> messages, int length, Span<Hash> digests)
        {
            ManagedSha256Kernel.Instance.HashPrefixedBatch(prefix, messages, length, digests);
            Spoil(digests);
        }

        public Hash HashNode(in Hash left, in Hash right) => ManagedSha256Kernel.Instance.HashNode(left, right);

        public void HashPairs(ReadOnlySpan<Hash> children, Span<Hash> parents)
        {
            ManagedSha256Kernel.Instance.HashPairs(children, parents);
            Spoil(parents);
        }

        private void Spoil(Span<Hash> outputs)
        {
            if (wrongIndex < outputs.Length)
            {
                var bytes = outputs[wrongIndex].ToArray();
                bytes[31] ^= 1;
                outputs[wrongIndex] = new Hash(bytes);
            }
        }
    }
}
