using EvidenceChain.Core.Digests;
using EvidenceChain.Testing.Arbitraries;
using FsCheck.Xunit;
using Org.BouncyCastle.Crypto.Digests;

namespace EvidenceChain.Core.Tests.Digests;

/// <summary>Our SM3 against BouncyCastle's, an independent implementation, and the standard's known answers.</summary>
[Properties(Arbitrary = [typeof(MerkleArbitraries)])]
public sealed class Sm3HasherTests
{
    private static Hash BouncyCastleSm3(ReadOnlySpan<byte> data)
    {
        var sm3 = new SM3Digest();
        sm3.BlockUpdate(data);
        Span<byte> digest = stackalloc byte[Hash.Size];
        sm3.DoFinal(digest);
        return new Hash(digest);
    }

    [Property]
    public void Finish_AnyChunking_EqualsBouncyCastle(ChunkedBytes input)
    {
        var sm3 = new Sm3Hasher();
        foreach (var chunk in input.Slices())
        {
            sm3.Append(chunk.Span);
        }

        Assert.Equal(input.Data.LongLength, sm3.Length);
        Assert.Equal(BouncyCastleSm3(input.Data), sm3.Finish());
    }

    [Property(MaxTest = 20)]
    public void Finish_LongMessageInRandomPieces_EqualsBouncyCastle(int seed)
    {
        var random = new Random(seed);
        var data = new byte[random.Next(200_000, 600_000)];
        random.NextBytes(data);
        var sm3 = new Sm3Hasher();
        for (var at = 0; at < data.Length;)
        {
            var take = Math.Min(data.Length - at, random.Next(0, 70_000));
            sm3.Append(data.AsSpan(at, take));
            at += take;
        }

        Assert.Equal(BouncyCastleSm3(data), sm3.Finish());
    }

    [Theory]
    [InlineData(55)] // the padding's last length that fits one block
    [InlineData(56)] // the first that needs a second
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(119)]
    [InlineData(120)]
    public void Hash_PaddingBoundaries_EqualsBouncyCastle(int length)
    {
        var data = Enumerable.Range(0, length).Select(i => unchecked((byte)(i * 7))).ToArray();
        Span<byte> digest = stackalloc byte[Sm3Hasher.HashSize];

        Sm3Hasher.Hash(data, digest);

        Assert.Equal(BouncyCastleSm3(data), new Hash(digest));
    }

    [Fact]
    public void Finish_ResetsForANewMessage()
    {
        var sm3 = new Sm3Hasher();
        sm3.Append("something else"u8);
        _ = sm3.Finish();

        sm3.Append("abc"u8);

        // GB/T 32905-2016 appendix A, example 1.
        Assert.Equal(Hash.Parse("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"), sm3.Finish());
        Assert.Equal(0, sm3.Length);
    }
}
