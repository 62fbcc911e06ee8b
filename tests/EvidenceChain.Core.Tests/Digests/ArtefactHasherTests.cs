using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core.Digests;
using EvidenceChain.Testing.Arbitraries;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Digests;

[Properties(Arbitrary = [typeof(MerkleArbitraries)])]
public sealed class ArtefactHasherTests
{
    // GB/T 32905-2016, appendix A, examples 1 and 2; also `printf abc | openssl dgst -sm3` and
    // `python3 -c "import hashlib; print(hashlib.new('sm3', b'abcd' * 16).hexdigest())"`.
    private static readonly Hash Sm3OfAbc = Hash.Parse("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    private static readonly Hash Sm3OfAbcd16 = Hash.Parse("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");

    [Property]
    public void Finish_AnyChunking_Sha256MatchesSystemSha256(ChunkedBytes input, bool withSm3)
    {
        using var hasher = new ArtefactHasher(withSm3);
        foreach (var chunk in input.Slices())
        {
            hasher.Append(chunk.Span);
        }

        var digests = hasher.Finish();

        Assert.Equal(new Hash(SHA256.HashData(input.Data)), digests.Sha256);
        Assert.Equal(input.Data.LongLength, digests.Size);
        Assert.Equal(input.Data.LongLength, hasher.Length);
        Assert.Equal(withSm3 ? ArtefactHasher.Sm3(input.Data) : null, digests.Sm3);
    }

    [Property]
    public void Compute_AnyData_EqualsStreamingResult(ChunkedBytes input)
    {
        using var hasher = new ArtefactHasher(withSm3: true);
        foreach (var chunk in input.Slices())
        {
            hasher.Append(chunk.Span);
        }

        Assert.Equal(ArtefactHasher.Compute(input.Data, withSm3: true), hasher.Finish());
    }

    [Fact]
    public void Sm3_Abc_IsGbT32905KnownAnswer()
    {
        Assert.Equal(Sm3OfAbc, ArtefactHasher.Sm3("abc"u8));
    }

    [Fact]
    public void Sm3_AbcdSixteenTimes_IsGbT32905KnownAnswer()
    {
        var message = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("abcd", 16)));
        Assert.Equal(64, message.Length);

        Assert.Equal(Sm3OfAbcd16, ArtefactHasher.Sm3(message));
    }

    [Fact]
    public void Finish_AbcdSixteenTimesOneByteAtATime_GivesBothKnownAnswers()
    {
        var message = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("abcd", 16)));
        using var hasher = new ArtefactHasher(withSm3: true);
        foreach (var b in message)
        {
            hasher.Append([b]);
        }

        var digests = hasher.Finish();

        Assert.Equal(Sm3OfAbcd16, digests.Sm3);
        Assert.Equal(new Hash(SHA256.HashData(message)), digests.Sha256);
        Assert.Equal(64, digests.Size);
    }

    [Fact]
    public void Compute_Empty_GivesEmptyStringDigests()
    {
        var digests = ArtefactHasher.Compute([], withSm3: true);

        // printf '' | sha256sum   and   printf '' | openssl dgst -sm3   (OpenSSL 3.0)
        Assert.Equal(Hash.Parse("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), digests.Sha256);
        Assert.Equal(Hash.Parse("1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"), digests.Sm3);
        Assert.Equal(0, digests.Size);
    }

    [Fact]
    public void Compute_WithoutSm3_LeavesSm3Null()
    {
        Assert.Null(ArtefactHasher.Compute("abc"u8, withSm3: false).Sm3);
        Assert.Equal(Sm3OfAbc, ArtefactHasher.Compute("abc"u8, withSm3: true).Sm3);
    }
}
