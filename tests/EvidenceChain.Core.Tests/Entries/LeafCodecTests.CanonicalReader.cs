using EvidenceChain.Core.Entries;
using EvidenceChain.Testing.Arbitraries;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Entries;

/// <summary>
/// The one-pass reader of canonical leaves (CanonicalLeafReader) against the general path (parse, re-encode, compare):
/// Parse with the reader must accept exactly the leaves the general path accepts, give the same entries and the same
/// messages, and the reader must read every canonical leaf whose strings need no escape.
/// </summary>
public sealed partial class LeafCodecTests
{
    // Bytes that turn a canonical leaf into a near miss: digits, hex case, quotes, escapes, structure, control and
    // C1 characters (as UTF-8), a UTF-8 lead byte, and signs.
    private static readonly byte[] NearMissBytes =
        [(byte)'0', (byte)'1', (byte)'9', (byte)'a', (byte)'f', (byte)'g', (byte)'A', (byte)'F', (byte)'"', (byte)'\\',
         (byte)',', (byte)':', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)' ', (byte)'-', (byte)'+', (byte)'.',
         (byte)'e', (byte)'T', (byte)'Z', 0x00, 0x1F, 0x7F, 0xC2, 0x80, 0x9F];

    [Property]
    public void CanonicalReader_EncodedEntry_GivesTheEntryOrDeclines(LedgerEntry entry)
    {
        var leaf = LeafCodec.Encode(entry);

        var read = CanonicalLeafReader.TryRead(leaf);

        if (NeedsGeneralPath(entry))
        {
            Assert.True(read is null || LeafCodec.Encode(read).AsSpan().SequenceEqual(leaf));
        }
        else
        {
            Assert.NotNull(read);
            AssertSameEntry(entry, read);
            Assert.Equal(leaf, LeafCodec.Encode(read));
        }
    }

    [Property]
    public Property CanonicalReader_EntryWithPlainStrings_IsRead() =>
        Prop.ForAll(EntryArbitraries.EntryGen.Select(Plain).ToArbitrary(), entry =>
        {
            var read = CanonicalLeafReader.TryRead(LeafCodec.Encode(entry));

            Assert.NotNull(read);
            AssertSameEntry(entry, read);
        });

    [Property(MaxTest = 500)]
    public Property Parse_LeafWithEdits_AcceptsAndRejectsAsTheGeneralPath() =>
        Prop.ForAll(
            EntryArbitraries.EntryGen.Select(Plain).ToArbitrary(),
            Gen.ListOf(Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Zip(Gen.Elements(NearMissBytes), Gen.Choose(0, 3))), 1).ToArbitrary(),
            (entry, edits) =>
            {
                var leaf = LeafCodec.Encode(entry).ToList();
                foreach (var (at, (value, kind)) in edits)
                {
                    var i = at % (leaf.Count + 1);
                    switch (kind)
                    {
                        case 0 when i < leaf.Count: leaf[i] = value; break;
                        case 1: leaf.Insert(i, value); break;
                        case 2 when i < leaf.Count: leaf.RemoveAt(i); break;
                        default: leaf.InsertRange(i, leaf.GetRange(i / 2, Math.Min(8, leaf.Count - (i / 2)))); break;
                    }
                }

                AssertSameOutcome([.. leaf]);
            });

    [Property]
    public Property Parse_ValidLeafWithOneByteChanged_AcceptsAndRejectsAsTheGeneralPath() =>
        Prop.ForAll(
            EntryArbitraries.EntryGen.ToArbitrary(),
            Gen.Zip(Gen.Choose(0, int.MaxValue), Gens.Byte).ToArbitrary(),
            (entry, edit) =>
            {
                var leaf = LeafCodec.Encode(entry);
                leaf[edit.Item1 % leaf.Length] = edit.Item2;
                AssertSameOutcome(leaf);
            });

    [Theory]
    [InlineData("\"index\":42", "\"index\":042")]
    [InlineData("\"index\":42", "\"index\":-42")]
    [InlineData("\"index\":42", "\"index\":42.0")]
    [InlineData("\"index\":42", "\"index\":4.2e1")]
    [InlineData("\"index\":42", "\"index\":18446744073709551616")]
    [InlineData("\"index\":42", "\"index\":18446744073709551615")]
    [InlineData("\"size\":1234", "\"size\":-1")]
    [InlineData("\"size\":1234", "\"size\":01234")]
    [InlineData("\"size\":1234", "\"size\":9223372036854775808")]
    [InlineData("\"size\":1234", "\"size\":9223372036854775807")]
    [InlineData("\"size\":0", "\"size\":00")]
    [InlineData("\"size\":0", "\"size\":-0")]
    [InlineData("\"v\":1", "\"v\":3")]
    [InlineData("\"v\":1", "\"v\":2")]
    [InlineData("\"v\":1", "\"v\":01")]
    [InlineData("6e340b9c", "6E340B9C")]
    [InlineData("2025-01-02T03:04:05.678Z", "2025-01-02T03:04:05.67Z")]
    [InlineData("2025-01-02T03:04:05.678Z", "2025-01-02T03:04:05.6780Z")]
    [InlineData("2025-01-02T03:04:05.678Z", "2025-01-02T03:04:05.678+00:00")]
    [InlineData("2025-01-02T03:04:05.678Z", "2025-01-02 03:04:05.678Z")]
    [InlineData("2025-01-02T03:04:05.678Z", "2025-02-29T03:04:05.678Z")]
    [InlineData("2025-01-02T03:04:05.678Z", "2024-02-29T03:04:05.678Z")]
    [InlineData("2025-01-02T03:04:05.678Z", "0000-01-02T03:04:05.678Z")]
    [InlineData("2025-01-02T03:04:05.678Z", "2025-01-02T24:00:00.000Z")]
    [InlineData("2025-01-02T03:04:05.678Z", "2025-01-02T23:59:60.000Z")]
    [InlineData("2025-01-02T03:04:05.678Z", "2025-13-02T03:04:05.678Z")]
    [InlineData("2025-01-02T03:04:05.678Z", "2025-01-00T03:04:05.678Z")]
    [InlineData("\"kind\":\"webpage\"", "\"kind\":\"\"")]
    [InlineData("\"kind\":\"webpage\"", "\"kind\":\"Webpage\"")]
    [InlineData("\"kind\":\"webpage\"", "\"kind\":\"web_page\"")]
    [InlineData("\"origin\":\"evidencechain.example/log1\"", "\"origin\":\"\"")]
    [InlineData("\"origin\":\"evidencechain.example/log1\"", "\"origin\":\"evidencechain.example/log1\u007f\"")]
    [InlineData("\"origin\":\"evidencechain.example/log1\"", "\"origin\":\"evidencechain.example/log1\u0085\"")]
    [InlineData("\"origin\":\"evidencechain.example/log1\"", "\"origin\":\"evidencechain.example\\/log1\"")]
    [InlineData("\"submitter\":\"key-7\"", "\"submitter\":\"key\\u002d7\"")]
    [InlineData("\"submitter\":\"key-7\"", "\"submitter\":\"key\\n7\"")]
    [InlineData("\"name\":\"shot.png\"", "\"name\":\"\"")]
    [InlineData("\"case\":\"案件-2025\",\"url\"", "\"url\":\"x\",\"url\"")]
    [InlineData("\"case\":\"案件-2025\",\"url\"", "\"case\":\"x\",\"case\"")]
    [InlineData("\"case\":\"案件-2025\"", "\"case\":{\"commit-sha256\":\"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d\"}")]
    [InlineData("{\"v\":1,", "{\"v\":2,")]
    [InlineData("}],", "},],")]
    [InlineData("\"url\":\"https://example.com/?a=1&b=<2>\"}}", "\"url\":\"https://example.com/?a=1&b=<2>\",}}")]
    [InlineData("\"url\":\"https://example.com/?a=1&b=<2>\"}}", "\"url\":\"https://example.com/?a=1&b=<2>\"}} ")]
    public void Parse_NearMissOfKnownLeaf_AcceptsAndRejectsAsTheGeneralPath(string find, string replace)
    {
        var leaf = Edit(LeafCodec.Encode(SampleEntry()), find, replace);

        AssertSameOutcome(leaf);
    }

    [Theory]
    [InlineData(LeafCodec.MaxNameBytes)]
    [InlineData(LeafCodec.MaxNameBytes + 1)]
    public void Parse_LongArtefactName_AcceptsAndRejectsAsTheGeneralPath(int length)
    {
        var leaf = Edit(LeafCodec.Encode(SampleEntry()), "\"name\":\"shot.png\"", "\"name\":\"" + new string('n', length) + "\"");

        AssertSameOutcome(leaf);
    }

    [Fact]
    public void Parse_VersionTwoWithCommitments_IsReadInOnePass()
    {
        var entry = SampleEntry() with { Version = LedgerEntry.FormatVersion };
        entry = entry with
        {
            Draft = entry.Draft with
            {
                Commitments = new Dictionary<string, Commitment>(StringComparer.Ordinal)
                {
                    ["a-secret"] = new(CommitmentAlgorithm.Sha256, Sha),
                    ["zz"] = new(CommitmentAlgorithm.Sm3, Sm3),
                },
            },
        };
        var leaf = LeafCodec.Encode(entry);

        var read = CanonicalLeafReader.TryRead(leaf);

        Assert.NotNull(read);
        AssertSameEntry(entry, read);
        AssertSameOutcome(leaf);
    }

    // Parse (the reader, then the general path when it declines) and the general path alone agree: both accept with
    // the same entry, or both reject with the same message.
    private static void AssertSameOutcome(byte[] leaf)
    {
        var fast = Outcome(() => LeafCodec.Parse(leaf));
        var general = Outcome(() => LeafCodec.ParseByReencoding(leaf));
        Assert.Equal(general.Error, fast.Error);
        Assert.Equal(general.Encoded, fast.Encoded);
        // The reader's precondition (Parse checks it first): valid UTF-8, within the size limit.
        if (System.Text.Unicode.Utf8.IsValid(leaf) && leaf.Length <= LeafCodec.MaxLeafSize && CanonicalLeafReader.TryRead(leaf) is { } read)
        {
            Assert.Null(general.Error);
            Assert.Equal(leaf, LeafCodec.Encode(read));
        }
    }

    private static (string? Error, byte[]? Encoded) Outcome(Func<LedgerEntry> parse)
    {
        try
        {
            return (null, LeafCodec.Encode(parse()));
        }
        catch (LeafFormatException e)
        {
            return (e.Message, null);
        }
    }

    // Whether a string of the entry has a character the encoder escapes, or the origin a C1 control: the reader leaves
    // those leaves to the general path.
    private static bool NeedsGeneralPath(LedgerEntry entry)
    {
        var d = entry.Draft;
        IEnumerable<string> texts =
        [
            entry.Origin, d.Kind, d.Submitter,
            .. d.Artefacts.SelectMany(a => new[] { a.Name, a.MediaType }),
            .. d.Attributes.SelectMany(p => new[] { p.Key, p.Value }),
            .. d.Commitments.Keys,
        ];
        return texts.Any(t => t.Any(NeedsEscape)) || entry.Origin.Any(c => c is >= '\u007F' and <= '\u009F');
    }

    private static bool NeedsEscape(char c) => c is < ' ' or '"' or '\\';

    // The entry with every character the encoder escapes replaced, so that its leaf is read in one pass.
    private static LedgerEntry Plain(LedgerEntry entry)
    {
        static string P(string text) => new([.. text.Select(c => NeedsEscape(c) ? '_' : c)]);
        var d = entry.Draft;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in d.Attributes)
        {
            attributes.TryAdd(P(key), P(value));
        }

        var commitments = new Dictionary<string, Commitment>(StringComparer.Ordinal);
        foreach (var (key, value) in d.Commitments)
        {
            if (!attributes.ContainsKey(P(key)))
            {
                commitments.TryAdd(P(key), value);
            }
        }

        var origin = new string([.. P(entry.Origin).Select(c => c is >= '\u007F' and <= '\u009F' ? '_' : c)]);
        var artefacts = d.Artefacts.Select(a => a with { Name = P(a.Name), MediaType = P(a.MediaType) }).ToList();
        return entry with
        {
            Origin = origin,
            Draft = new EntryDraft(d.Kind, P(d.Submitter), artefacts, attributes) { Commitments = commitments },
        };
    }
}
