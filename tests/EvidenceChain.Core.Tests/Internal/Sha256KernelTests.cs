using System.Security.Cryptography;
using EvidenceChain.Internal;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvidenceChain.Tests.Internal;

/// <summary>Every kernel the hashing can take is checked bit for bit against .NET's SHA-256.</summary>
public sealed class Sha256KernelTests
{
    public static TheoryData<string> Kernels()
    {
        var data = new TheoryData<string> { "managed" };
        if (LibCryptoSha256Kernel.TryCreate() is not null)
        {
            data.Add("libcrypto");
        }

        return data;
    }

    private static ISha256Kernel Kernel(string name) => name switch
    {
        "managed" => ManagedSha256Kernel.Instance,
        "libcrypto" => LibCryptoSha256Kernel.TryCreate()!,
        _ => throw new ArgumentException(name),
    };

    [Fact]
    public void LibCrypto_OnLinuxWithOpenSsl_IsAvailableAndChosen()
    {
        // This machine kind (Debian, libssl3) has libcrypto; elsewhere the portable kernel is chosen and tested.
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
        {
            return;
        }

        Assert.NotNull(LibCryptoSha256Kernel.TryCreate());
        Assert.StartsWith("libcrypto", Sha256Kernel.Current.Name, StringComparison.Ordinal);
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
        Prop.ForAll(Gen.Elements("managed", "libcrypto").Where(k => k == "managed" || LibCryptoSha256Kernel.TryCreate() is not null).ToArbitrary(), name =>
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
}
