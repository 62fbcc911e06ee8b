using EvidenceChain.Api.V1;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using EvidenceChain.Verifier.Cases;

namespace EvidenceChain.Node.IntegrationTests.Cases;

/// <summary>
/// Cases survive restarts, and cases.db is only a copy: deleted, stale or foreign, it is rebuilt from the ledger's
/// case events and the node carries on the same custody chain.
/// </summary>
public sealed class CaseRestartTests
{
    [Fact]
    public async Task Restart_CasesSurvive()
    {
        using var temp = new TempFolder();
        var (id, before, manager) = await MakeCaseAsync(temp.Sub("data"));

        await using var node = await TestNode.StartAsync(temp.Sub("data"));
        var after = await node.Cases().GetCaseAsync(new() { Id = id }, TestNode.As(manager));

        Assert.Equal(before, after);
        node.AssertNoErrors();
    }

    [Fact]
    public async Task Restart_StoreDeleted_RebuiltFromTheLedgerAndTheChainContinues()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        var (id, before, manager) = await MakeCaseAsync(data);
        File.Delete(Path.Combine(data, "cases.db"));

        await using var node = await TestNode.StartAsync(data);
        var after = await node.Cases().GetCaseAsync(new() { Id = id }, TestNode.As(manager));
        Assert.Equal(before, after);

        var note = await node.Cases().AddNoteAsync(new() { CaseId = id, Text = "after the rebuild" }, TestNode.As(manager));
        var entry = await node.Evidence.GetEntryAsync(new() { Index = note.Event.Index });
        Assert.Equal(before.Events[^1].Index.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.Attributes["prev-event"]);
        await AssertExportVerifiesAsync(node, manager, id);
        node.AssertNoErrors();
    }

    [FilesDriverOnly("replaces cases.db")]
    [Fact]
    public async Task Restart_StoreBehindTheLedger_CatchesUp()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        var (id, _, manager) = await MakeCaseAsync(data);
        var stale = temp.Sub("cases.db.stale");
        File.Copy(Path.Combine(data, "cases.db"), stale);
        Case expected;
        await using (var node = await TestNode.StartAsync(data))
        {
            await node.Cases().CloseCaseAsync(new() { CaseId = id, Reason = "done" }, TestNode.As(manager));
            expected = await node.Cases().GetCaseAsync(new() { Id = id }, TestNode.As(manager));
        }

        File.Copy(stale, Path.Combine(data, "cases.db"), overwrite: true);
        await using var restarted = await TestNode.StartAsync(data);

        var after = await restarted.Cases().GetCaseAsync(new() { Id = id }, TestNode.As(manager));
        Assert.Equal(expected, after);
        Assert.Equal("closed", after.Status);
        restarted.AssertNoErrors();
    }

    [FilesDriverOnly("copies cases.db between data folders")]
    [Fact]
    public async Task Restart_StoreOfAnotherNode_IsRebuiltFromThisLedger()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        var (id, before, manager) = await MakeCaseAsync(data);
        var (otherId, _, _) = await MakeCaseAsync(temp.Sub("other"), extraEntries: 3);
        File.Copy(Path.Combine(temp.Sub("other"), "cases.db"), Path.Combine(data, "cases.db"), overwrite: true);

        await using var node = await TestNode.StartAsync(data);

        Assert.Equal(before, await node.Cases().GetCaseAsync(new() { Id = id }, TestNode.As(manager)));
        var list = await node.Cases().ListCasesAsync(new(), TestNode.As(manager));
        Assert.DoesNotContain(list.Cases, c => c.Id == otherId);
        Assert.Contains(node.Logs.Records, r => r.EventId == 601);
        node.AssertNoErrors();
    }

    private static async Task<(string Id, Case Case, string Manager)> MakeCaseAsync(string data, int extraEntries = 0)
    {
        await using var node = await TestNode.StartAsync(data);
        var manager = await node.CreateKeyAsync("case-manager");
        var submitter = await node.CreateKeyAsync("submitter");
        for (var i = 0; i < extraEntries; i++)
        {
            await node.PreserveAsync(submitter, 100 + i);
        }

        var exhibit1 = await node.PreserveAsync(submitter, 1);
        var exhibit2 = await node.PreserveAsync(submitter, 2);
        var id = (await node.CreateAsync(manager, "Restart", "R-7", ("Chen Jie", "claimant"))).Case.Id;
        await node.AttachAsync(manager, id, exhibit1);
        await node.AttachAsync(submitter, id, exhibit2);
        await node.Cases().DetachEvidenceAsync(new() { CaseId = id, Index = exhibit1 }, TestNode.As(manager));
        await node.Cases().AddNoteAsync(new() { CaseId = id, Text = "before the restart" }, TestNode.As(manager));
        var shown = await node.Cases().GetCaseAsync(new() { Id = id }, TestNode.As(manager));
        node.AssertNoErrors();
        return (id, shown, manager);
    }

    private static async Task AssertExportVerifiesAsync(TestNode node, string manager, string id)
    {
        var (_, zip) = await node.ExportAsync(manager, id);
        using var stream = new MemoryStream(zip);
        var report = await CaseExportVerifier.VerifyAsync(stream, node.Trust());
        Assert.True(report.IsValid, CaseLifecycleTests.Describe(report));
    }
}
