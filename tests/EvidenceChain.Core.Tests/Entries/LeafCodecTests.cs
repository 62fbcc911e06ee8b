using System.Text;
using EvidenceChain.Core.Entries;
using EvidenceChain.Testing.Arbitraries;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Entries;

/// <summary>Encoding and round trips; rejection of non-canonical and malformed leaves is in LeafCodecTests.Parsing.cs.</summary>
[Properties(Arbitrary = [typeof(EntryArbitraries), typeof(MerkleArbitraries)])]
public sealed partial class LeafCodecTests
{
    private static readonly Hash Sha = Hash.Parse("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    private static readonly Hash Sm3 = Hash.Parse("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");

    [Fact]
    public void Encode_KnownEntry_IsExactCanonicalJson()
    {
        var entry = SampleEntry();

        var leaf = Encoding.UTF8.GetString(LeafCodec.Encode(entry));

        Assert.Equal(
            "{\"v\":1,\"origin\":\"evidencechain.example/log1\",\"index\":42,"
            + "\"prev\":\"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d\",\"kind\":\"webpage\","
            + "\"time\":\"2025-01-02T03:04:05.678Z\",\"submitter\":\"key-7\",\"artefacts\":["
            + "{\"name\":\"页面.warc\",\"mediaType\":\"application/warc\",\"size\":1234,"
            + "\"sha256\":\"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d\","
            + "\"sm3\":\"66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0\"},"
            + "{\"name\":\"shot.png\",\"mediaType\":\"image/png\",\"size\":0,"
            + "\"sha256\":\"66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0\"}],"
            + "\"attributes\":{\"case\":\"案件-2025\",\"url\":\"https://example.com/?a=1&b=<2>\"}}",
            leaf);
    }

    [Fact]
    public void Parse_KnownLeaf_GivesTheEntry()
    {
        var entry = SampleEntry();

        var parsed = LeafCodec.Parse(LeafCodec.Encode(entry));

        AssertSameEntry(entry, parsed);
    }

    [Property]
    public void EncodeParseEncode_AnyEntry_IsByteStable(LedgerEntry entry)
    {
        var leaf = LeafCodec.Encode(entry);

        var parsed = LeafCodec.Parse(leaf);

        Assert.Equal(leaf, LeafCodec.Encode(parsed));
        AssertSameEntry(entry, parsed);
    }

    [Property]
    public void Encode_AttributesInAnyInsertionOrder_GivesTheSameBytes(LedgerEntry entry, int seed)
    {
        var shuffled = entry.Draft.Attributes.ToArray();
        new Random(seed).Shuffle(shuffled);
        var reordered = entry with
        {
            Draft = entry.Draft with { Attributes = shuffled.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) },
        };

        Assert.Equal(LeafCodec.Encode(entry), LeafCodec.Encode(reordered));
    }

    [Property]
    public void Encode_SameInstantAtAnotherOffset_GivesTheSameBytes(LedgerEntry entry, short offsetMinutes)
    {
        var moved = entry with { Time = entry.Time.ToOffset(TimeSpan.FromMinutes(offsetMinutes % (14 * 60))) };

        Assert.Equal(LeafCodec.Encode(entry), LeafCodec.Encode(moved));
    }

    [Fact]
    public void Encode_TimeWithSubMillisecondTicks_Throws()
    {
        var entry = SampleEntry() with { Time = SampleEntry().Time.AddTicks(1) };

        Assert.Throws<ArgumentException>(() => LeafCodec.Encode(entry));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Webpage")]
    [InlineData("web page")]
    [InlineData("web_page")]
    [InlineData("网页")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 65 characters
    public void Encode_KindOutsideItsAlphabet_Throws(string kind)
    {
        var entry = SampleEntry() with { Draft = SampleEntry().Draft with { Kind = kind } };

        Assert.Throws<ArgumentException>(() => LeafCodec.Encode(entry));
    }

    [Fact]
    public void Encode_EmptyOriginOrArtefactNameOrNegativeSize_Throws()
    {
        var entry = SampleEntry();
        var artefact = entry.Draft.Artefacts[0];

        Assert.Throws<ArgumentException>(() => LeafCodec.Encode(entry with { Origin = string.Empty }));
        Assert.Throws<ArgumentException>(() => LeafCodec.Encode(WithArtefact(entry, artefact with { Name = string.Empty })));
        Assert.ThrowsAny<ArgumentException>(() => LeafCodec.Encode(WithArtefact(entry, artefact with { Size = -1 })));
    }

    [Fact]
    public void Encode_LeafOfExactlyMaxLeafSize_RoundTrips()
    {
        var leaf = LeafCodec.Encode(EntryOfLeafSize(LeafCodec.MaxLeafSize));

        Assert.Equal(LeafCodec.MaxLeafSize, leaf.Length);
        Assert.Equal(leaf, LeafCodec.Encode(LeafCodec.Parse(leaf)));
    }

    [Fact]
    public void Encode_LeafOneByteOverMaxLeafSize_Throws()
    {
        Assert.Throws<ArgumentException>(() => LeafCodec.Encode(EntryOfLeafSize(LeafCodec.MaxLeafSize + 1)));
    }

    private static LedgerEntry SampleEntry() => new(
        "evidencechain.example/log1",
        42,
        Sha,
        new DateTimeOffset(2025, 1, 2, 11, 4, 5, 678, TimeSpan.FromHours(8)),
        new EntryDraft(
            "webpage",
            "key-7",
            [
                new Artefact("页面.warc", "application/warc", 1234, Sha, Sm3),
                new Artefact("shot.png", "image/png", 0, Sm3),
            ],
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["url"] = "https://example.com/?a=1&b=<2>",
                ["case"] = "案件-2025",
            }))
    {
        Version = LedgerEntry.ClearFormatVersion, // the version-1 vector: old leaves still read and encode the same
    };

    private static LedgerEntry WithArtefact(LedgerEntry entry, Artefact artefact) =>
        entry with { Draft = entry.Draft with { Artefacts = [artefact] } };

    // An entry whose leaf is exactly `size` bytes: the sample entry with one ASCII attribute padded to fit.
    private static LedgerEntry EntryOfLeafSize(int size)
    {
        LedgerEntry WithPad(int length) => SampleEntry() with
        {
            Draft = SampleEntry().Draft with
            {
                Attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["pad"] = new string('x', length) },
            },
        };

        var overhead = LeafCodec.Encode(WithPad(0)).Length;
        return WithPad(size - overhead);
    }

    private static void AssertSameEntry(LedgerEntry expected, LedgerEntry actual)
    {
        Assert.Equal(expected.Origin, actual.Origin);
        Assert.Equal(expected.Index, actual.Index);
        Assert.Equal(expected.Prev, actual.Prev);
        Assert.Equal(expected.Time, actual.Time);
        Assert.Equal(TimeSpan.Zero, actual.Time.Offset);
        Assert.Equal(expected.Draft.Kind, actual.Draft.Kind);
        Assert.Equal(expected.Draft.Submitter, actual.Draft.Submitter);
        Assert.Equal(expected.Draft.Artefacts, actual.Draft.Artefacts);
        Assert.Equal(
            expected.Draft.Attributes.OrderBy(p => p.Key, StringComparer.Ordinal),
            actual.Draft.Attributes.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(
            expected.Draft.Commitments.OrderBy(p => p.Key, StringComparer.Ordinal),
            actual.Draft.Commitments.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Version, actual.Version);
    }
}
