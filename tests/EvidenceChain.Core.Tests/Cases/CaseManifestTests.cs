using EvidenceChain.Core.Cases;

namespace EvidenceChain.Core.Tests.Cases;

public sealed class CaseManifestTests
{
    private static readonly CaseManifest Manifest = new()
    {
        Origin = "evidencechain.local/log-1",
        CaseId = "c0123456789abcdef",
        Title = "Li v. Zhang  (two spaces kept)",
        Reference = "",
        Parties = [new("Li Wei", "claimant")],
        Status = CaseStatus.Open,
        LedgerSize = 12,
        Items = [new(3, Hash.Parse(new string('b', 64)), 9, "k1", [new("a b.pdf", 10, Hash.Parse(new string('c', 64)), null)])],
        Events = [new(8, Hash.Parse(new string('d', 64)), CaseAction.Create), new(9, Hash.Parse(new string('e', 64)), CaseAction.Attach)],
    };

    [Fact]
    public void Encode_Parse_RoundTrips()
    {
        var text = Manifest.Encode();

        var back = CaseManifest.Parse(text);

        Assert.Equal(text, back.Encode());
        Assert.Equal(Manifest.Title, back.Title);
        Assert.Equal("a b.pdf", back.Items[0].Artefacts[0].Name);
        Assert.StartsWith("evidencechain/case-manifest/v1\norigin evidencechain.local/log-1\ncase c0123456789abcdef\n", text, StringComparison.Ordinal);
        Assert.Contains("\nreference\nparty claimant Li Wei\nstatus open\nledger-size 12\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ledger-size 12\n", "ledger-size 012\n")]
    [InlineData("status open\n", "status Open\n")]
    [InlineData("event 9 ", "event  9 ")]
    [InlineData("attach\n", "attach\nextra line\n")]
    [InlineData("evidencechain/case-manifest/v1", "evidencechain/case-manifest/v2")]
    public void Parse_NonCanonicalOrUnknown_IsRefused(string from, string to)
    {
        var text = Manifest.Encode().Replace(from, to, StringComparison.Ordinal);

        Assert.Throws<FormatException>(() => CaseManifest.Parse(text));
    }
}
