using EvidenceChain.Core.Cases;

namespace EvidenceChain.Core.Tests.Cases;

public sealed class CaseStateTests
{
    private const string Id = "c0123456789abcdef";
    private static readonly Hash Leaf = Hash.Parse(new string('a', 64));

    private static RecordedCaseEvent At(ulong index, CaseEvent e) => new(index, Leaf, DateTimeOffset.UnixEpoch, e);

    private static CaseState Created() =>
        CaseState.Create(At(0, new CaseEvent { CaseId = Id, Action = CaseAction.Create, Actor = "k1", Title = "T", Reference = "R" }));

    private static CaseEvent Attach(ulong previous, ulong evidence) =>
        new() { CaseId = Id, Action = CaseAction.Attach, Actor = "k1", PreviousEvent = previous, EvidenceIndex = evidence, EvidenceLeafHash = Leaf };

    [Fact]
    public void Apply_AttachDetachClose_FoldsItemsAndStatus()
    {
        var state = Created().Apply(At(1, Attach(0, 5))).Apply(At(2, Attach(1, 6)));
        state = state.Apply(At(3, new CaseEvent { CaseId = Id, Action = CaseAction.Detach, Actor = "k1", PreviousEvent = 2, EvidenceIndex = 5, EvidenceLeafHash = Leaf }));
        state = state.Apply(At(4, new CaseEvent { CaseId = Id, Action = CaseAction.Close, Actor = "k1", PreviousEvent = 3 }));

        Assert.Equal([6ul], state.Items.Select(i => i.Index));
        Assert.Equal(CaseStatus.Closed, state.Status);
        Assert.Equal(5, state.Events.Count);
    }

    [Fact]
    public void Apply_WrongPreviousEvent_IsRefused()
    {
        var state = Created().Apply(At(1, Attach(0, 5)));

        var error = Assert.Throws<ArgumentException>(() => state.Apply(At(2, Attach(0, 6))));

        Assert.Contains("names 0 as the previous event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AttachTwiceOrToAClosedCase_IsAViolation()
    {
        var state = Created().Apply(At(1, Attach(0, 5)));
        Assert.Equal(CaseRuleViolation.AlreadyExists, state.Check(Attach(1, 5))!.Value.Violation);

        var closed = state.Apply(At(2, new CaseEvent { CaseId = Id, Action = CaseAction.Close, Actor = "k1", PreviousEvent = 1 }));
        Assert.Equal(CaseRuleViolation.FailedPrecondition, closed.Check(Attach(2, 6))!.Value.Violation);
        Assert.Null(closed.Check(new CaseEvent { CaseId = Id, Action = CaseAction.Export, Actor = "k1", PreviousEvent = 2, ManifestSha256 = Leaf }));
    }
}
