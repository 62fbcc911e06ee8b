using EvidenceChain.Api.V1;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using Grpc.Core;
using static EvidenceChain.Node.IntegrationTests.Cases.CaseLifecycleTests;

namespace EvidenceChain.Node.IntegrationTests.Cases;

/// <summary>Who may do what to a case, and the errors for bad input: each names the field, case or entry, and records nothing.</summary>
public sealed class CaseRulesTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly NodeFixture _fixture = fixture;

    private CaseService.CaseServiceClient Cases => _fixture.Node.Cases();

    [Fact]
    public async Task Submitter_AttachingAnothersEvidence_IsPermissionDeniedAndRecordsNothing()
    {
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var other = await node.CreateKeyAsync("submitter");
        var theirs = await node.PreserveAsync(other, 10);
        var id = (await node.CreateAsync(manager)).Case.Id;
        var size = node.Node.Ledger.Size;

        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => node.AttachAsync(_fixture.SubmitterKey, id, theirs), $"Entry {theirs}", "submitted by another key");

        Assert.Equal(size, node.Node.Ledger.Size);
        Assert.Empty((await Cases.GetCaseAsync(new() { Id = id }, As(manager))).Items);
    }

    [Fact]
    public async Task Submitter_CannotCreateDetachNoteCloseOrExport()
    {
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var submitter = _fixture.SubmitterKey;
        var mine = await node.PreserveAsync(submitter, 11);
        var id = (await node.CreateAsync(manager)).Case.Id;
        await node.AttachAsync(submitter, id, mine);

        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => node.CreateAsync(submitter), "case-manager or admin", "submitter");
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Cases.DetachEvidenceAsync(new() { CaseId = id, Index = mine }, As(submitter)).ResponseAsync, "case-manager or admin");
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Cases.AddNoteAsync(new() { CaseId = id, Text = "x" }, As(submitter)).ResponseAsync, "case-manager or admin");
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Cases.CloseCaseAsync(new() { CaseId = id }, As(submitter)).ResponseAsync, "case-manager or admin");
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => node.ExportAsync(submitter, id), "case-manager or admin");
        Assert.Equal(2, (await Cases.GetCaseAsync(new() { Id = id }, As(submitter))).Events.Count);
    }

    [Fact]
    public async Task Admin_ManagesCases_AndAttachesAnyEvidence()
    {
        var node = _fixture.Node;
        var exhibit = await node.PreserveAsync(_fixture.SubmitterKey, 12);

        var id = (await node.CreateAsync(node.AdminKey, "Admin's case")).Case.Id;
        var attached = await node.AttachAsync(node.AdminKey, id, exhibit);

        Assert.Equal(exhibit, Assert.Single(attached.Case.Items).Index);
    }

    [Fact]
    public async Task Reading_WithoutKey_IsUnauthenticated_AndWithAnyRoleWorks()
    {
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var id = (await node.CreateAsync(manager)).Case.Id;

        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => Cases.GetCaseAsync(new() { Id = id }).ResponseAsync, "API key");
        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => Cases.ListCasesAsync(new()).ResponseAsync, "API key");
        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => Cases.GetCaseAsync(new() { Id = id }, As("k0000000000000000.wrong")).ResponseAsync, "unknown");
        foreach (var key in new[] { _fixture.SubmitterKey, manager, node.AdminKey })
        {
            Assert.Equal(id, (await Cases.GetCaseAsync(new() { Id = id }, As(key))).Id);
        }

        using var anonymous = await node.Http.GetAsync($"/v1/cases/{id}");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var export = await node.Http.GetAsync($"/v1/cases/{id}/export.zip");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, export.StatusCode);
    }

    [Fact]
    public async Task Attach_BadEvidence_NamesTheIndex()
    {
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var exhibit = await node.PreserveAsync(_fixture.SubmitterKey, 13);
        var created = await node.CreateAsync(manager);
        var id = created.Case.Id;
        await node.AttachAsync(manager, id, exhibit);
        var size = node.Node.Ledger.Size;

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => node.AttachAsync(manager, id, 999_999), "Entry 999999 does not exist");
        await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => node.AttachAsync(manager, id, exhibit), $"Entry {exhibit} is already attached to case {id}");
        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => node.AttachAsync(manager, id, created.Event.Index), $"Entry {created.Event.Index} is a case event");
        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => Cases.DetachEvidenceAsync(new() { CaseId = id, Index = exhibit + 100_000 }, As(manager)).ResponseAsync, "is not attached", id);

        Assert.Equal(size, node.Node.Ledger.Size);
    }

    [Fact]
    public async Task ClosedCase_RefusesEveryChangeButExport()
    {
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var exhibit = await node.PreserveAsync(_fixture.SubmitterKey, 14);
        var id = (await node.CreateAsync(manager)).Case.Id;
        await node.AttachAsync(manager, id, exhibit);
        await Cases.CloseCaseAsync(new() { CaseId = id }, As(manager));

        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => node.AttachAsync(manager, id, exhibit + 0), "is closed", id);
        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => Cases.DetachEvidenceAsync(new() { CaseId = id, Index = exhibit }, As(manager)).ResponseAsync, "is closed");
        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => Cases.AddNoteAsync(new() { CaseId = id, Text = "late" }, As(manager)).ResponseAsync, "is closed");
        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => Cases.CloseCaseAsync(new() { CaseId = id }, As(manager)).ResponseAsync, "is closed");

        var (info, _) = await node.ExportAsync(manager, id);
        Assert.Equal("export", info.Event.Action);
    }

    [Theory]
    [InlineData("")]
    [InlineData("c123")]
    [InlineData("C0123456789ABCDEF")]
    [InlineData("k0123456789abcdef")]
    [InlineData("c0123456789abcdeg")]
    public async Task MalformedCaseId_IsInvalidArgument(string id)
    {
        var manager = await _fixture.Node.CreateKeyAsync("case-manager");

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Cases.GetCaseAsync(new() { Id = id }, As(manager)).ResponseAsync, "is malformed");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _fixture.Node.AttachAsync(manager, id, 0), "is malformed");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Cases.CloseCaseAsync(new() { CaseId = id }, As(manager)).ResponseAsync, "is malformed");
    }

    [Fact]
    public async Task UnknownCase_IsNotFound()
    {
        var manager = await _fixture.Node.CreateKeyAsync("case-manager");
        const string Id = "c0123456789abcdef";

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Cases.GetCaseAsync(new() { Id = Id }, As(manager)).ResponseAsync, $"no case {Id}");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Cases.AddNoteAsync(new() { CaseId = Id, Text = "x" }, As(manager)).ResponseAsync, $"no case {Id}");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _fixture.Node.ExportAsync(manager, Id), $"no case {Id}");
    }

    [Fact]
    public async Task BadFields_AreInvalidArgumentNamingTheField_AndRecordNothing()
    {
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var id = (await node.CreateAsync(manager)).Case.Id;
        var size = node.Node.Ledger.Size;

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => node.CreateAsync(manager, title: ""), "title is empty");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => node.CreateAsync(manager, title: "   "), "title is empty");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => node.CreateAsync(manager, title: new string('x', 1025)), "title is 1025 UTF-8 bytes; the limit is 1024");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => node.CreateAsync(manager, title: "two\nlines"), "title contains control characters");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => node.CreateAsync(manager, reference: new string('9', 257)), "reference is 257 UTF-8 bytes");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => node.CreateAsync(manager, parties: [("", "claimant")]), "parties[0].name is empty");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => node.CreateAsync(manager, parties: [("A", "claimant"), ("B", "Opposing Party")]), "parties[1].role");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => node.CreateAsync(manager, parties: [.. Enumerable.Range(0, 33).Select(i => ($"P{i}", "witness"))]), "parties: 33 given; at most 32");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Cases.AddNoteAsync(new() { CaseId = id, Text = "" }, As(manager)).ResponseAsync, "note is empty");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Cases.AddNoteAsync(new() { CaseId = id, Text = new string('n', 16385) }, As(manager)).ResponseAsync, "note is 16385 UTF-8 bytes");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Cases.CloseCaseAsync(new() { CaseId = id, Reason = new string('r', 16385) }, As(manager)).ResponseAsync, "reason is 16385 UTF-8 bytes");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Cases.ListCasesAsync(new() { Status = "pending" }, As(manager)).ResponseAsync, "status");

        Assert.Equal(size, node.Node.Ledger.Size);
        Assert.Equal("open", (await Cases.GetCaseAsync(new() { Id = id }, As(manager))).Status);
    }
}
