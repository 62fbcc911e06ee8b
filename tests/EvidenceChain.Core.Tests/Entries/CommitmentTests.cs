using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core.Entries;
using EvidenceChain.Testing.Arbitraries;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Entries;

/// <summary>Salted commitments, disclosures and version-2 leaves (docs/formats.md §1.5).</summary>
[Properties(Arbitrary = [typeof(EntryArbitraries), typeof(MerkleArbitraries)])]
public sealed class CommitmentTests
{
    private static readonly Hash Salt = new([.. Enumerable.Range(0, 32).Select(i => (byte)i)]);

    [Fact]
    public void Compute_KnownValue_IsSha256OfTagFieldSaltAndValue()
    {
        // python3 -c "import hashlib;print(hashlib.sha256(b'evidencechain/commit/v1\0title\0'+bytes(range(32))+'Li v. Zhang Co.'.encode()).hexdigest())"
        var expected = SHA256.HashData([.. "evidencechain/commit/v1\0title\0"u8, .. Salt.ToArray(), .. "Li v. Zhang Co."u8]);

        var commitment = Commitment.Compute(CommitmentAlgorithm.Sha256, "title", "Li v. Zhang Co.", Salt);

        Assert.Equal(new Hash(expected), commitment.Value);
        Assert.Equal("4632bac503f95f41049dac72dab04d351dfc549a172b06f45b490a8637b0192c", commitment.Value.ToString());
    }

    [Fact]
    public void Compute_Sm3_IsSm3OfTheSameMessage()
    {
        var message = Encoding.UTF8.GetBytes("evidencechain/commit/v1\0description\0").Concat(Salt.ToArray()).Concat("合同"u8.ToArray()).ToArray();

        var commitment = Commitment.Compute(CommitmentAlgorithm.Sm3, "description", "合同", Salt);

        Assert.Equal(Core.Digests.ArtefactHasher.Sm3(message), commitment.Value);
        Assert.Equal("commit-sm3", commitment.MemberName);
    }

    [Property]
    public Property IsOpenedBy_TheSameFieldValueAndSalt_Holds(NonEmptyString field, string value, Hash salt, bool sm3) =>
        Prop.When(
            IsText(field.Get) && !field.Get.Contains('\0', StringComparison.Ordinal) && IsText(value ?? string.Empty),
            () =>
            {
                var algorithm = sm3 ? CommitmentAlgorithm.Sm3 : CommitmentAlgorithm.Sha256;
                var commitment = Commitment.Compute(algorithm, field.Get, value ?? string.Empty, salt);
                return commitment.IsOpenedBy(new Opening(field.Get, value ?? string.Empty, salt));
            });

    [Property]
    public Property IsOpenedBy_AnyFlippedSaltBitOrChangedValueOrField_Fails(Hash salt, byte bit, string value) =>
        Prop.When(IsText(value ?? string.Empty), () =>
        {
            var text = value ?? string.Empty;
            var commitment = Commitment.Compute(CommitmentAlgorithm.Sha256, "title", text, salt);
            var flipped = salt.ToArray();
            flipped[bit % 32] ^= (byte)(1 << (bit % 8));
            return !commitment.IsOpenedBy(new Opening("title", text, new Hash(flipped)))
                && !commitment.IsOpenedBy(new Opening("title", text + "x", salt))
                && !commitment.IsOpenedBy(new Opening("description", text, salt));
        });

    [Property]
    public Property Seal_AnyDraft_LeafHoldsCommitmentsOnlyAndTheDisclosureRevealsEveryValue(LedgerEntry entry, int seed)
    {
        var fields = entry.Draft.Attributes.Keys
            .Where((_, i) => ((seed >> (i % 31)) & 1) == 1)
            .Where(k => k.Length > 0 && !k.Contains('\0', StringComparison.Ordinal))
            .ToList();
        var random = new Random(seed);
        var (draft, disclosure) = Disclosure.Seal(entry.Draft with { Commitments = new Dictionary<string, Commitment>() }, fields, CommitmentAlgorithm.Sha256, random.NextBytes);
        var sealedEntry = LeafCodec.Parse(LeafCodec.Encode(entry with { Draft = draft, Version = LedgerEntry.FormatVersion }));

        var check = Disclosure.Parse(disclosure.Encode()).Check(sealedEntry);
        var revealed = disclosure.Reveal(sealedEntry);

        return (check.IsValid && check.Unopened.Count == 0
            && fields.All(f => !sealedEntry.Draft.Attributes.ContainsKey(f) && sealedEntry.Draft.Commitments.ContainsKey(f))
            && revealed.Draft.Attributes.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(entry.Draft.Attributes.OrderBy(p => p.Key, StringComparer.Ordinal))
            && revealed.Draft.Commitments.Count == 0).ToProperty();
    }

    [Fact]
    public void Check_TamperedValue_FailsNamingTheField()
    {
        var (draft, disclosure) = Disclosure.Seal(Draft(), ["title", "text"], CommitmentAlgorithm.Sha256, RandomNumberGenerator.Fill);
        var entry = Entry(draft);
        var tampered = Disclosure.Create(disclosure.Openings.Select(o => o.Field == "title" ? o with { Value = "Zhang v. Li" } : o));

        var check = tampered.Check(entry);

        Assert.False(check.IsValid);
        Assert.Equal("title", check.BadField);
        Assert.Contains("\"title\"", check.Problem, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => tampered.Reveal(entry));
    }

    [Fact]
    public void Check_OpeningOfAFieldTheLeafDoesNotCommit_Fails()
    {
        var entry = Entry(Disclosure.Seal(Draft(), ["title"], CommitmentAlgorithm.Sha256, RandomNumberGenerator.Fill).Draft);
        var stray = Disclosure.Create([new Opening("reference", "x", Salt)]);

        Assert.Equal("reference", stray.Check(entry).BadField);
    }

    [Fact]
    public void Encode_SealedEntry_IsVersion2WithCommitmentObjects()
    {
        var draft = Draft() with
        {
            Attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["case"] = "c0000000000000001" },
            Commitments = new Dictionary<string, Commitment>(StringComparer.Ordinal) { ["title"] = new(CommitmentAlgorithm.Sha256, Salt) },
        };

        var leaf = Encoding.UTF8.GetString(LeafCodec.Encode(Entry(draft)));

        Assert.StartsWith("{\"v\":2,", leaf, StringComparison.Ordinal);
        Assert.EndsWith(
            "\"attributes\":{\"case\":\"c0000000000000001\",\"title\":{\"commit-sha256\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\"}}}",
            leaf,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"commit-sha256\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\",\"x\":\"1\"}")] // extra member
    [InlineData("{\"commit-md5\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\"}")] // unknown algorithm
    [InlineData("{\"commit-sha256\":\"000102030405060708090A0B0C0D0E0F101112131415161718191a1b1c1d1e1f\"}")] // upper case
    [InlineData("{}")]
    public void Parse_MalformedCommitment_Throws(string commitment)
    {
        var leaf = Encoding.UTF8.GetString(LeafCodec.Encode(Entry(Draft() with { Attributes = new Dictionary<string, string>() })))
            .Replace("\"attributes\":{}", "\"attributes\":{\"title\":" + commitment + "}", StringComparison.Ordinal);

        Assert.Throws<LeafFormatException>(() => LeafCodec.Parse(Encoding.UTF8.GetBytes(leaf)));
    }

    [Fact]
    public void Parse_Version1LeafWithACommitment_Throws()
    {
        var draft = Draft() with
        {
            Attributes = new Dictionary<string, string>(),
            Commitments = new Dictionary<string, Commitment>(StringComparer.Ordinal) { ["title"] = new(CommitmentAlgorithm.Sha256, Salt) },
        };
        var leaf = Encoding.UTF8.GetString(LeafCodec.Encode(Entry(draft))).Replace("{\"v\":2,", "{\"v\":1,", StringComparison.Ordinal);

        var e = Assert.Throws<LeafFormatException>(() => LeafCodec.Parse(Encoding.UTF8.GetBytes(leaf)));
        Assert.Contains("must be a string", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"v\":1,\"openings\":[{\"value\":\"a\",\"field\":\"title\",\"salt\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\"}]}")] // member order
    [InlineData("{\"v\":1,\"openings\":[{\"field\":\"title\",\"value\":\"a\",\"salt\":\"00\"}]}")] // short salt
    [InlineData("{\"v\":2,\"openings\":[]}")]
    [InlineData("{\"v\":1, \"openings\":[]}")]
    public void ParseDisclosure_NotCanonical_Throws(string text) =>
        Assert.Throws<FormatException>(() => Disclosure.Parse(Encoding.UTF8.GetBytes(text)));

    private static EntryDraft Draft() => new(
        "case-event",
        "k1",
        [],
        new Dictionary<string, string>(StringComparer.Ordinal) { ["title"] = "Li v. Zhang Co.", ["text"] = "line 1\nline 2", ["case"] = "c0000000000000001" });

    private static LedgerEntry Entry(EntryDraft draft) => new("example.org/log", 7, default, new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero), draft);

    private static bool IsText(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }
}
