using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvidenceChain.Core.Entries;
using EvidenceChain.Testing.Arbitraries;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Entries;

/// <summary>Parse must accept only the canonical encoding, and reject everything else with a LeafFormatException.</summary>
public sealed partial class LeafCodecTests
{
    private static readonly string[] TopLevelMembers =
        ["v", "origin", "index", "prev", "kind", "time", "submitter", "artefacts", "attributes"];

    private static readonly string[] ArtefactMembers = ["name", "mediaType", "size", "sha256"];

    private static readonly JsonSerializerOptions RewriteOptions = new()
    {
        Encoder = MinimalJsonEncoder.Instance,
        WriteIndented = false,
    };

    [Property]
    public void Parse_WhiteSpaceAddedOutsideStrings_Throws(LedgerEntry entry, byte where, byte which)
    {
        var leaf = Encoding.UTF8.GetString(LeafCodec.Encode(entry));
        var space = new[] { " ", "\n", "\r\n", "\t" }[which % 4];
        var vAt = leaf.IndexOf("\"v\":", StringComparison.Ordinal) + 4;
        var text = (where % 5) switch
        {
            0 => space + leaf,
            1 => leaf + space,
            2 => leaf.Insert(1, space),
            3 => leaf.Insert(vAt, space),
            _ => leaf.Insert(leaf.Length - 1, space),
        };

        AssertRejected(Encoding.UTF8.GetBytes(text));
    }

    [Property]
    public void Parse_TopLevelMembersReordered_Throws(LedgerEntry entry, int seed)
    {
        var order = TopLevelMembers.ToArray();
        new Random(seed).Shuffle(order);
        if (order.SequenceEqual(TopLevelMembers))
        {
            (order[0], order[^1]) = (order[^1], order[0]);
        }

        AssertRejected(Rewrite(LeafCodec.Encode(entry), root => Reorder(root, order)));
    }

    [Property]
    public void Parse_ArtefactMembersReordered_Throws(LedgerEntry entry)
    {
        if (entry.Draft.Artefacts.Count == 0)
        {
            return;
        }

        AssertRejected(Rewrite(LeafCodec.Encode(entry), root =>
        {
            var artefact = (JsonObject)root["artefacts"]![0]!;
            root["artefacts"]![0] = Reorder(artefact, ["sha256", .. artefact.Select(p => p.Key).Where(k => k != "sha256")]);
            return root;
        }));
    }

    [Property]
    public void Parse_AttributesOutOfOrdinalOrder_Throws(LedgerEntry entry)
    {
        if (entry.Draft.Attributes.Count < 2)
        {
            return;
        }

        AssertRejected(Rewrite(LeafCodec.Encode(entry), root =>
        {
            var attributes = (JsonObject)root["attributes"]!;
            root["attributes"] = Reorder(attributes, [.. attributes.Select(p => p.Key).Reverse()]);
            return root;
        }));
    }

    [Property]
    public Property Parse_TopLevelMemberMissing_Throws() =>
        Prop.ForAll(
            EntryArbitraries.EntryGen.ToArbitrary(),
            Gen.Elements(TopLevelMembers).ToArbitrary(),
            (entry, member) => AssertRejected(Rewrite(LeafCodec.Encode(entry), root =>
            {
                root.Remove(member);
                return root;
            })));

    [Theory]
    [InlineData("name")]
    [InlineData("mediaType")]
    [InlineData("size")]
    [InlineData("sha256")]
    public void Parse_ArtefactMemberMissing_Throws(string member)
    {
        AssertRejected(Rewrite(LeafCodec.Encode(SampleEntry()), root =>
        {
            ((JsonObject)root["artefacts"]![0]!).Remove(member);
            return root;
        }));
    }

    [Theory]
    [InlineData("{\"v\":1,", "{\"v\":1,\"v\":1,")]
    [InlineData("\"kind\":\"webpage\",", "\"kind\":\"webpage\",\"kind\":\"webpage\",")]
    [InlineData("\"kind\":\"webpage\",", "\"kind\":\"file\",\"kind\":\"webpage\",")]
    [InlineData("\"attributes\":{", "\"attributes\":{\"case\":\"案件-2025\",")]
    [InlineData("\"size\":0,", "\"size\":0,\"size\":0,")]
    [InlineData("}}", ",\"v\":1}}")]
    public void Parse_DuplicateMember_Throws(string find, string replace)
    {
        AssertRejected(Edit(LeafCodec.Encode(SampleEntry()), find, replace));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3")]
    [InlineData("-1")]
    [InlineData("1000")]
    public void Parse_UnknownVersion_Throws(string version)
    {
        var e = AssertRejected(Edit(LeafCodec.Encode(SampleEntry()), "{\"v\":1,", "{\"v\":" + version + ","));

        Assert.Contains("version", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"kind\":\"webpage\"", "\"kind\":\"web\\u0070age\"")] // escape where none is needed
    [InlineData("evidencechain.example/log1", "evidencechain.example\\/log1")]
    [InlineData("页面", "\\u9875\\u9762")]
    [InlineData("\"index\":42", "\"index\":042")]
    [InlineData("\"size\":1234", "\"size\":\"1234\"")]
    [InlineData("\"prev\":\"6e340b9c", "\"prev\":\"6E340B9C")]
    [InlineData("03:04:05.678Z", "03:04:05.678+00:00")]
    [InlineData("03:04:05.678Z", "03:04:05.6780Z")]
    [InlineData("03:04:05.678Z", "03:04:05Z")]
    [InlineData("\"artefacts\":[", "\"artefacts\":[null,")]
    [InlineData("\"attributes\":{", "\"attributes\":{\"n\":5,")]
    public void Parse_NonCanonicalOrMistypedValue_Throws(string find, string replace)
    {
        AssertRejected(Edit(LeafCodec.Encode(SampleEntry()), find, replace));
    }

    // Fails (bug): JsonElement.GetInt32/GetUInt64/GetInt64 throw a plain FormatException for a number that is
    // not an integer of the right range, and Parse does not translate it, so it escapes as FormatException
    // instead of the documented LeafFormatException.
    [Theory]
    [InlineData("{\"v\":1,", "{\"v\":1.0,")]
    [InlineData("{\"v\":1,", "{\"v\":1e0,")]
    [InlineData("{\"v\":1,", "{\"v\":4294967297,")]
    [InlineData("\"index\":42", "\"index\":42.0")]
    [InlineData("\"index\":42", "\"index\":-42")]
    [InlineData("\"index\":42", "\"index\":18446744073709551616")]
    [InlineData("\"size\":1234", "\"size\":1234.5")]
    public void Parse_NumberNotAnIntegerOfItsType_ThrowsLeafFormatException(string find, string replace)
    {
        AssertRejected(Edit(LeafCodec.Encode(SampleEntry()), find, replace));
    }

    // Fails (bug): Parse reads these values without checking them, then calls Encode (outside its try block)
    // to compare bytes, and Encode's validation throws ArgumentException (ArgumentOutOfRangeException for the
    // size), which escapes instead of LeafFormatException.
    [Theory]
    [InlineData("\"kind\":\"webpage\"", "\"kind\":\"Webpage\"")]
    [InlineData("\"kind\":\"webpage\"", "\"kind\":\"\"")]
    [InlineData("\"origin\":\"evidencechain.example/log1\"", "\"origin\":\"\"")]
    [InlineData("\"origin\":\"evidencechain.example/log1\"", "\"origin\":null")]
    [InlineData("\"name\":\"shot.png\"", "\"name\":\"\"")]
    [InlineData("\"size\":0", "\"size\":-1")]
    public void Parse_ValueThatEncodeRefuses_ThrowsLeafFormatException(string find, string replace)
    {
        AssertRejected(Edit(LeafCodec.Encode(SampleEntry()), find, replace));
    }

    // Fails (bug): Encode's kind check dereferences the null kind, so Parse throws NullReferenceException.
    [Fact]
    public void Parse_NullKind_ThrowsLeafFormatException()
    {
        AssertRejected(Edit(LeafCodec.Encode(SampleEntry()), "\"kind\":\"webpage\"", "\"kind\":null"));
    }

    // Fails (bug): GetString() returns null for a JSON null and Encode writes null back, so the canonical
    // comparison passes and Parse returns an entry holding null in non-nullable strings (Submitter,
    // Artefact.MediaType, attribute values) instead of rejecting a member of the wrong type.
    [Theory]
    [InlineData("\"submitter\":\"key-7\"", "\"submitter\":null")]
    [InlineData("\"mediaType\":\"image/png\"", "\"mediaType\":null")]
    [InlineData("\"url\":\"https://example.com/?a=1&b=<2>\"", "\"url\":null")]
    public void Parse_NullWhereAStringIsRequired_ThrowsLeafFormatException(string find, string replace)
    {
        AssertRejected(Edit(LeafCodec.Encode(SampleEntry()), find, replace));
    }

    // Fails (bug): Encode escapes characters outside the BMP (an emoji becomes the 12 bytes \uD83D\uDE00), so a
    // non-canonical leaf under the size limit that spells them raw re-encodes to more than MaxLeafSize, and the
    // ArgumentException from Encode escapes from Parse instead of LeafFormatException.
    [Fact]
    public void Parse_RawEmoji_AreCanonicalAndRoundTrip()
    {
        // Characters outside the BMP are written as raw UTF-8 (4 bytes each), never as 12-byte \u escapes.
        var leaf = Edit(LeafCodec.Encode(SampleEntry()), "\"submitter\":\"key-7\"", "\"submitter\":\"" + string.Concat(Enumerable.Repeat("😀", 16_000)) + "\"");
        Assert.True(leaf.Length <= LeafCodec.MaxLeafSize);

        var entry = LeafCodec.Parse(leaf);

        Assert.Equal(string.Concat(Enumerable.Repeat("😀", 16_000)), entry.Draft.Submitter);
        Assert.Equal(leaf, LeafCodec.Encode(entry));
    }

    [Fact]
    public void Parse_EscapedNonAsciiCharacter_IsNotCanonical()
    {
        // Only '"', '\\' and U+0000..U+001F are escaped; "\u00e9" for é is a second spelling of the same leaf.
        var leaf = Edit(LeafCodec.Encode(SampleEntry()), "\"submitter\":\"key-7\"", "\"submitter\":\"caf\\u00e9\"");

        AssertRejected(leaf);
    }

    [Fact]
    public void Encode_UnpairedSurrogate_IsRefused()
    {
        var draft = SampleEntry().Draft with { Submitter = "a\uD800b" };

        Assert.Throws<ArgumentException>(() => LeafCodec.Encode(SampleEntry() with { Draft = draft }));
    }

    [Fact]
    public void Parse_LeafOverMaxLeafSize_Throws()
    {
        var leaf = new byte[LeafCodec.MaxLeafSize + 1];
        leaf.AsSpan().Fill((byte)' ');

        var e = AssertRejected(leaf);

        Assert.Contains("limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CanonicalLookingLeafOverMaxLeafSize_Throws()
    {
        // Make a valid leaf of exactly the limit, then lengthen one string by a byte: only the size is wrong.
        var leaf = LeafCodec.Encode(EntryOfLeafSize(LeafCodec.MaxLeafSize));

        AssertRejected(Edit(leaf, "\"pad\":\"x", "\"pad\":\"xx"));
    }

    [Theory]
    [InlineData(new byte[] { 0xff })] // never valid in UTF-8
    [InlineData(new byte[] { 0xc0, 0xaf })] // overlong '/'
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 })] // UTF-16 surrogate encoded in UTF-8
    [InlineData(new byte[] { 0xe9, 0xa1 })] // truncated 3-byte sequence
    [InlineData(new byte[] { 0xf4, 0x90, 0x80, 0x80 })] // above U+10FFFF
    public void Parse_InvalidUtf8InAString_Throws(byte[] bad)
    {
        var leaf = LeafCodec.Encode(SampleEntry());
        var at = IndexOf(leaf, "key-7"u8);
        byte[] broken = [.. leaf.AsSpan(0, at), .. bad, .. leaf.AsSpan(at)];

        AssertRejected(broken);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("\"leaf\"")]
    [InlineData("{\"v\":1}")]
    [InlineData("{\"v\":\"1\"}")]
    [InlineData("{\"v\":1,\"origin\":")]
    [InlineData("{\"v\":1,\"artefacts\":{}}")]
    public void Parse_NotALeafAtAll_Throws(string text)
    {
        AssertRejected(Encoding.UTF8.GetBytes(text));
    }

    [Property]
    public Property Parse_ArbitraryBytes_ReturnsOrThrowsLeafFormatExceptionOnly() =>
        Prop.ForAll(Gens.Bytes(300).ToArbitrary(), ParseOrLeafFormatException);

    // Random bytes are almost never near-JSON; a leaf with one byte changed, inserted or removed reaches deeper.
    [Property]
    public Property Parse_ValidLeafWithOneByteChanged_ReturnsOrThrowsLeafFormatExceptionOnly() =>
        Prop.ForAll(
            EntryArbitraries.EntryGen.ToArbitrary(),
            Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Zip(Gens.Byte, Gen.Choose(0, 2))).ToArbitrary(),
            (entry, edit) =>
            {
                var leaf = LeafCodec.Encode(entry).ToList();
                var at = edit.Item1 % leaf.Count;
                var (value, kind) = edit.Item2;
                switch (kind)
                {
                    case 0: leaf[at] = value; break;
                    case 1: leaf.Insert(at, value); break;
                    default: leaf.RemoveAt(at); break;
                }

                ParseOrLeafFormatException([.. leaf]);
            });

    private static void ParseOrLeafFormatException(byte[] bytes)
    {
        LedgerEntry parsed;
        try
        {
            parsed = LeafCodec.Parse(bytes);
        }
        catch (LeafFormatException)
        {
            return;
        }

        // Whatever Parse accepts must be canonical: the bytes the entry encodes to.
        Assert.Equal(bytes, LeafCodec.Encode(parsed));
    }

    private static LeafFormatException AssertRejected(byte[] leaf)
    {
        // Exactly LeafFormatException: Parse documents no other exception for bad input.
        var e = Assert.Throws<LeafFormatException>(() => LeafCodec.Parse(leaf));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        return e;
    }

    private static byte[] Edit(byte[] leaf, string find, string replace)
    {
        var text = Encoding.UTF8.GetString(leaf);
        Assert.Contains(find, text, StringComparison.Ordinal);
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, at), replace, text.AsSpan(at + find.Length)));
    }

    private static byte[] Edit(byte[] leaf, ReadOnlySpan<byte> find, ReadOnlySpan<byte> replace) =>
        Edit(leaf, Encoding.UTF8.GetString(find), Encoding.UTF8.GetString(replace));

    // Rewrites a leaf through JsonNode with the codec's encoder. The unchanged rewrite must give the leaf back,
    // or the rejection could come from the rewriting rather than from the change under test.
    private static byte[] Rewrite(byte[] leaf, Func<JsonObject, JsonObject> change)
    {
        Assert.Equal(leaf, Encoding.UTF8.GetBytes(JsonNode.Parse(leaf)!.ToJsonString(RewriteOptions)));
        var changed = change((JsonObject)JsonNode.Parse(leaf)!);
        var bytes = Encoding.UTF8.GetBytes(changed.ToJsonString(RewriteOptions));
        Assert.NotEqual(leaf, bytes);
        return bytes;
    }

    private static JsonObject Reorder(JsonObject obj, IEnumerable<string> order)
    {
        var copy = new JsonObject();
        foreach (var key in order)
        {
            if (obj.TryGetPropertyValue(key, out var value))
            {
                copy[key] = value?.DeepClone();
            }
        }

        return copy;
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle)
    {
        var at = haystack.AsSpan().IndexOf(needle);
        Assert.True(at >= 0);
        return at;
    }
}
