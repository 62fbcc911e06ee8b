using EvidenceChain.Core.Cases;
using EvidenceChain.Core.Entries;

namespace EvidenceChain.Core.Tests.Cases;

public sealed class CaseEventTests
{
    private const string Id = "c0123456789abcdef";
    private static readonly Hash Leaf = Hash.Parse(new string('a', 64));

    public static TheoryData<CaseEvent> Events() =>
    [
        new CaseEvent { CaseId = Id, Action = CaseAction.Create, Actor = "k1", Title = "Li v. Zhang", Reference = "", Parties = [new("Li Wei", "claimant"), new("张三", "respondent")] },
        new CaseEvent { CaseId = Id, Action = CaseAction.Attach, Actor = "k1", PreviousEvent = 0, EvidenceIndex = 7, EvidenceLeafHash = Leaf },
        new CaseEvent { CaseId = Id, Action = CaseAction.Detach, Actor = "k1", PreviousEvent = 8, EvidenceIndex = 7, EvidenceLeafHash = Leaf, Text = "duplicate" },
        new CaseEvent { CaseId = Id, Action = CaseAction.Note, Actor = "k2", PreviousEvent = 9, Text = "line 1\nline 2" },
        new CaseEvent { CaseId = Id, Action = CaseAction.Close, Actor = "k2", PreviousEvent = 10 },
        new CaseEvent { CaseId = Id, Action = CaseAction.Export, Actor = "k2", PreviousEvent = 11, ManifestSha256 = Leaf },
    ];

    [Theory]
    [MemberData(nameof(Events))]
    public void ToDraft_ThroughTheLeafCodec_RoundTrips(CaseEvent e)
    {
        var leaf = LeafCodec.Encode(new LedgerEntry("origin", 12, default, DateTimeOffset.UnixEpoch, e.ToDraft()));

        var back = CaseEvent.FromEntry(LeafCodec.Parse(leaf));

        Assert.Equal(e with { Parties = [] }, back with { Parties = [] });
        Assert.Equal(e.Parties, back.Parties);
    }

    [Fact]
    public void FromEntry_UnknownAttribute_IsRefused()
    {
        var draft = new CaseEvent { CaseId = Id, Action = CaseAction.Attach, Actor = "k1", PreviousEvent = 0, EvidenceIndex = 7, EvidenceLeafHash = Leaf }.ToDraft();
        var attributes = new Dictionary<string, string>(draft.Attributes) { ["colour"] = "red" };

        var error = Assert.Throws<FormatException>(() => CaseEvent.FromEntry(new LedgerEntry("o", 1, default, DateTimeOffset.UnixEpoch, draft with { Attributes = attributes })));

        Assert.Contains("unexpected attribute \"colour\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEntry_SubmitterIsNotTheActor_IsRefused()
    {
        var draft = new CaseEvent { CaseId = Id, Action = CaseAction.Close, Actor = "k2", PreviousEvent = 10 }.ToDraft() with { Submitter = "k3" };

        Assert.Throws<FormatException>(() => CaseEvent.FromEntry(new LedgerEntry("o", 11, default, DateTimeOffset.UnixEpoch, draft)));
    }

    [Theory]
    [InlineData("c0123456789abcdef", true)]
    [InlineData("c0123456789ABCDEF", false)]
    [InlineData("c0123456789abcde", false)]
    [InlineData("d0123456789abcdef", false)]
    [InlineData("", false)]
    public void IsCaseId_AcceptsOnlyCAnd16LowercaseHex(string id, bool expected) => Assert.Equal(expected, CaseEvent.IsCaseId(id));

    [Fact]
    public void FindError_NamesTheField()
    {
        var create = new CaseEvent { CaseId = Id, Action = CaseAction.Create, Actor = "k1", Title = "", Reference = "" };

        Assert.Equal("title is empty", create.FindError());
        Assert.StartsWith("parties[0].role", (create with { Title = "T", Parties = [new("A", "Claimant")] }).FindError(), StringComparison.Ordinal);
        Assert.Equal("every event but create names the case's previous event", new CaseEvent { CaseId = Id, Action = CaseAction.Close, Actor = "k" }.FindError());
    }
}
