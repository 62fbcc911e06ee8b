using EvidenceChain.Core.Digests;
using EvidenceChain.Core.Internal;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Internal;

/// <summary>
/// libcrypto's SM3 (<see cref="LibCryptoSm3"/>) and the managed one give the same digests, byte for byte, for the
/// standard's known answers and for random messages in random pieces; <see cref="Sm3Hasher"/> takes the libcrypto path
/// exactly when a message's first piece is long, and the managed path otherwise.
/// </summary>
public sealed class LibCryptoSm3Tests
{
    // GB/T 32905-2016 appendix A: example 1 ("abc") and example 2 ("abcd" 16 times, 512 bits).
    private static readonly Hash Abc = Hash.Parse("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    private static readonly Hash Abcd16 = Hash.Parse("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");

    [Fact]
    public void Functions_OnLinuxWithOpenSsl_AreAvailable()
    {
        if (OperatingSystem.IsLinux())
        {
            Assert.NotNull(LibCryptoSm3.Functions);
        }
    }

    [Fact]
    public void Finish_StandardExamples_BothPaths()
    {
        using var native = Native();
        native.Append("abc"u8);
        Assert.Equal(Abc, Finish(native));
        var abcd16 = string.Concat(Enumerable.Repeat("abcd", 16)).Select(c => (byte)c).ToArray();
        native.Append(abcd16.AsSpan(0, 10));
        native.Append(abcd16.AsSpan(10));
        Assert.Equal(Abcd16, Finish(native));

        var managed = new Sm3Hasher(useLibCrypto: false);
        managed.Append("abc"u8);
        Assert.Equal(Abc, managed.Finish());
        managed.Append(abcd16);
        Assert.Equal(Abcd16, managed.Finish());
    }

    [Property(MaxTest = 30)]
    public Property Finish_RandomMessagesInRandomPieces_SameOnBothPaths(int seed) =>
        Prop.ForAll(Gen.Elements(0, 1, 63, 64, 65, 1_000, 65_535, 65_536, 300_000, 1 << 20).ToArbitrary(), length =>
        {
            var random = new Random(seed ^ length);
            var data = new byte[length + random.Next(0, 200)];
            random.NextBytes(data);
            using var native = Native();
            var viaSm3Hasher = new Sm3Hasher();
            var managed = new Sm3Hasher(useLibCrypto: false);
            for (var at = 0; at < data.Length;)
            {
                // Pieces from empty to larger than the libcrypto threshold.
                var take = Math.Min(data.Length - at, random.Next(2) == 0 ? random.Next(0, 130) : random.Next(0, 140_000));
                native.Append(data.AsSpan(at, take));
                viaSm3Hasher.Append(data.AsSpan(at, take));
                managed.Append(data.AsSpan(at, take));
                at += take;
            }

            var expected = managed.Finish();
            Assert.Equal(expected, Finish(native));
            Assert.Equal(expected, viaSm3Hasher.Finish());
            return true;
        });

    [Fact]
    public void Sm3Hasher_LongFirstPiece_GoesThroughLibCryptoAndResets()
    {
        _ = Native();
        var data = new byte[Sm3Hasher.LibCryptoFrom];
        new Random(5).NextBytes(data);
        var managed = new Sm3Hasher(useLibCrypto: false);
        managed.Append(data);
        managed.Append("tail"u8);
        var expected = managed.Finish();

        var sm3 = new Sm3Hasher();
        sm3.Append(data);
        sm3.Append("tail"u8);
        Assert.True(sm3.InLibCrypto);
        Assert.Equal(data.Length + 4, sm3.Length);
        Assert.Equal(expected, sm3.Finish());

        // The next message starts short: managed again, on the same hasher.
        sm3.Append("abc"u8);
        Assert.False(sm3.InLibCrypto);
        Assert.Equal(Abc, sm3.Finish());
    }

    private static LibCryptoSm3 Native() =>
        LibCryptoSm3.TryCreate() ?? throw new InvalidOperationException("libcrypto's SM3 is not available on this machine");

    private static Hash Finish(LibCryptoSm3 sm3)
    {
        var digest = new byte[Hash.Size];
        sm3.Finish(digest);
        return new Hash(digest);
    }
}
