using System.Security.Cryptography;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Arbitraries;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests;

[Properties(Arbitrary = [typeof(MerkleArbitraries)])]
public sealed class HashTests
{
    private const string EmptyLeafHex = "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d";

    [Fact]
    public void Parse_RoundTripsLowercaseHex()
    {
        Assert.Equal(EmptyLeafHex, Hash.Parse(EmptyLeafHex).ToString());
    }

    [Fact]
    public void Parse_UppercaseHex_GivesSameHashAndFormatsLowercase()
    {
        var hash = Hash.Parse(EmptyLeafHex.ToUpperInvariant());

        Assert.Equal(Hash.Parse(EmptyLeafHex), hash);
        Assert.Equal(EmptyLeafHex, hash.ToString());
    }

    [Fact]
    public void Constructor_KeepsByteOrder()
    {
        var bytes = Enumerable.Range(0, Hash.Size).Select(i => (byte)i).ToArray();

        var hash = new Hash(bytes);

        Assert.Equal(bytes, hash.ToArray());
        Assert.Equal(Convert.ToHexStringLower(bytes), hash.ToString());
    }

    [Fact]
    public void Default_IsAllZeroBytes()
    {
        Assert.Equal(new byte[Hash.Size], default(Hash).ToArray());
        Assert.Equal(new string('0', 64), default(Hash).ToString());
    }

    [Property]
    public bool ToString_AnyHash_ParsesBack(Hash hash) =>
        Hash.Parse(hash.ToString()) == hash && Hash.TryParse(hash.ToString(), out var parsed) && parsed == hash;

    [Property]
    public void ToString_AnyHash_Is64LowercaseHexDigitsOfTheBytes(Hash hash)
    {
        var text = hash.ToString();

        Assert.Equal(64, text.Length);
        Assert.Equal(Convert.ToHexStringLower(hash.ToArray()), text);
    }

    [Property]
    public bool ToBase64_AnyHash_ParsesBack(Hash hash) =>
        hash.ToBase64() == Convert.ToBase64String(hash.ToArray())
        && Hash.TryParseBase64(hash.ToBase64(), out var parsed)
        && parsed == hash;

    [Property]
    public bool ToArray_AnyHash_RoundTripsThroughConstructorAndTryFromBytes(Hash hash) =>
        new Hash(hash.ToArray()) == hash && Hash.TryFromBytes(hash.ToArray(), out var copy) && copy == hash;

    [Property]
    public void EqualityMembers_AnyHash_FollowTheContract(Hash hash, Hash other)
    {
        var copy = new Hash(hash.ToArray());
        var unequal = other == hash ? [] : new[] { other };

        EqualityContract.AssertEquatable(hash, copy, unequal);
        EqualityContract.AssertComparable(hash, other);
        Assert.Equal(hash.Equals(other), hash == other);
        Assert.Equal(!hash.Equals(other), hash != other);
        Assert.True(hash == copy);
        Assert.False(hash != copy);
    }

    [Property]
    public void CompareTo_AnyHashes_OrdersByBytesLexicographically(Hash left, Hash right)
    {
        var expected = Math.Sign(left.ToArray().AsSpan().SequenceCompareTo(right.ToArray()));

        Assert.Equal(expected, Math.Sign(left.CompareTo(right)));
        Assert.Equal(expected < 0, left < right);
        Assert.Equal(expected > 0, left > right);
        Assert.Equal(expected <= 0, left <= right);
        Assert.Equal(expected >= 0, left >= right);
    }

    [Property]
    public void Equals_HashesDifferingInOneBit_AreUnequal(Hash hash, byte bit)
    {
        var other = Mutate.FlipBit(hash, bit);

        Assert.NotEqual(hash, other);
        Assert.True(hash != other);
        Assert.NotEqual(0, hash.CompareTo(other));
    }

    [Theory]
    [InlineData("")]
    [InlineData("6e")]
    [InlineData("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01")] // 63 digits
    [InlineData("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d0")] // 65 digits
    [InlineData("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")]
    public void TryParse_WrongLength_ReturnsFalse(string text)
    {
        Assert.False(Hash.TryParse(text, out var hash));
        Assert.Equal(default, hash);
        Assert.Throws<FormatException>(() => Hash.Parse(text));
    }

    [Theory]
    [InlineData("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01g")]
    [InlineData("0x340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")]
    [InlineData(" e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")]
    [InlineData("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01 ")]
    [InlineData("6e340b9c-fb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")]
    [InlineData("６e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")] // full-width 6
    [InlineData("bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=bjQLnP+zepicpUTmu3gK")] // base64, 64 characters
    public void TryParse_NonHexCharacters_ReturnsFalse(string text)
    {
        Assert.Equal(64, text.Length);
        Assert.False(Hash.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Hash.Parse(text));
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(Hash.TryParse((string?)null, out _));
        Assert.Throws<ArgumentNullException>(() => Hash.Parse(null!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(35)]
    [InlineData(36)]
    [InlineData(64)]
    public void TryParseBase64_WrongByteCount_ReturnsFalse(int byteCount)
    {
        var text = Convert.ToBase64String(SHA512.HashData([1]).AsSpan(0, Math.Min(byteCount, 64)));

        Assert.False(Hash.TryParseBase64(text, out var hash));
        Assert.Equal(default, hash);
    }

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0")] // padding missing
    [InlineData("bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=!")]
    [InlineData("bjQLnP-zepicpUTmu3gKLHiQHT-zNzh2hRGjBhevoB0=")] // base64url alphabet
    public void TryParseBase64_NotStandardBase64_ReturnsFalse(string text)
    {
        Assert.False(Hash.TryParseBase64(text, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Constructor_WrongLength_Throws(int length)
    {
        Assert.Throws<ArgumentException>(() => new Hash(new byte[length]));
        Assert.False(Hash.TryFromBytes(new byte[length], out _));
    }

    [Property]
    public void FromConcatenated_AnyHashes_ViewsThemInPlace(LeafHashes hashes)
    {
        var bytes = Hash.AsBytes(hashes.Span).ToArray();

        Assert.Equal(hashes.Count * Hash.Size, bytes.Length);
        Assert.Equal(hashes.Hashes, Hash.FromConcatenated(bytes).ToArray());
        for (var i = 0; i < hashes.Count; i++)
        {
            Assert.Equal(hashes.Hashes[i].ToArray(), bytes.AsSpan(i * Hash.Size, Hash.Size).ToArray());
        }
    }

    [Fact]
    public void FromConcatenated_LengthNotAMultipleOf32_Throws()
    {
        Assert.Throws<ArgumentException>(() => Hash.FromConcatenated(new byte[33]));
    }

    [Fact]
    public void CopyTo_DestinationTooShort_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => default(Hash).CopyTo(new byte[31]));
    }
}
