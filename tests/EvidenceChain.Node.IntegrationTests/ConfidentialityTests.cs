using System.IO.Compression;
using System.Net;
using System.Text;
using EvidenceChain.Api.V1;
using EvidenceChain.Core.Entries;
using EvidenceChain.Node.IntegrationTests.Cases;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing.Node;
using EvidenceChain.Verifier.Cases;
using EvidenceChain.Verifier.Receipts;
using Grpc.Core;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// Nothing confidential in the public log (issue 14): file names, titles, descriptions, case titles, parties and notes
/// are commitments in leaves and tiles, revealed only to keys that may see the entry, in receipts and case exports.
/// </summary>
public sealed class ConfidentialityTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string FileName = "witness-statement-lin.pdf";
    private const string Title = "Statement of Lin Hua";
    private const string Description = "Signed before notary Qian";
    private readonly NodeFixture _fixture = fixture;

    private TestNode Node => _fixture.Node;

    private static CallOptions Wait => new(deadline: DateTime.UtcNow.AddSeconds(60));

    private async Task<ulong> PreserveSecretAsync() =>
        (await PreserveAsync(Node, _fixture.SubmitterKey, "%PDF confidential"u8.ToArray(), FileName, "application/pdf", title: Title, description: Description)).Entry.Index;

    [Fact]
    public async Task PreservedFile_PublicEntryJsonAndTiles_HoldNoneOfTheClearText()
    {
        var index = await PreserveSecretAsync();

        var json = await Node.Http.GetStringAsync($"/v1/entries/{index}");
        var bundle = await Node.Http.GetByteArrayAsync(BundlePath(index, (await Node.Log.GetCheckpointAsync(new GetCheckpointRequest())).TreeSize));
        var listed = await Node.Http.GetStringAsync($"/v1/entries?start={index}&limit=1");

        foreach (var text in new[] { json, Encoding.UTF8.GetString(bundle), listed })
        {
            Assert.DoesNotContain("witness-statement", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Lin Hua", text, StringComparison.Ordinal);
            Assert.DoesNotContain("notary", text, StringComparison.Ordinal);
        }

        var entry = await Node.Evidence.GetEntryAsync(new GetEntryRequest { Index = index });
        Assert.Equal(["description", "file-name", "title"], entry.Commitments.Keys.Order(StringComparer.Ordinal));
        Assert.All(entry.Commitments.Values, c => Assert.StartsWith("commit-sha256:", c, StringComparison.Ordinal));
        Assert.Empty(entry.Disclosed);
        Assert.Equal("file", Assert.Single(entry.Artefacts).Name);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetEntry_WithAKeyThatMaySeeIt_DisclosesTheValues_AnotherSubmitterGetsNone()
    {
        var index = await PreserveSecretAsync();
        var other = await Node.CreateKeyAsync("submitter");
        var manager = await Node.CreateKeyAsync("case-manager");

        var own = await Node.Evidence.GetEntryAsync(new GetEntryRequest { Index = index }, TestNode.As(_fixture.SubmitterKey));
        var theirs = await Node.Evidence.GetEntryAsync(new GetEntryRequest { Index = index }, TestNode.As(other));
        var managed = await Node.Evidence.GetEntryAsync(new GetEntryRequest { Index = index }, TestNode.As(manager));
        var bad = await Assert.ThrowsAsync<RpcException>(() => Node.Evidence.GetEntryAsync(new GetEntryRequest { Index = index }, TestNode.As("k0000000000000000.nope")).ResponseAsync);

        Assert.Equal((FileName, Title, Description), (own.Disclosed["file-name"], own.Disclosed["title"], own.Disclosed["description"]));
        Assert.Empty(theirs.Disclosed);
        Assert.Equal(FileName, managed.Disclosed["file-name"]);
        Assert.Equal(StatusCode.Unauthenticated, bad.StatusCode);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task Receipt_WithoutKey_HasNoOpenings_WithTheSubmittersKey_RevealsAndVerifies()
    {
        var index = await PreserveSecretAsync();

        var anonymous = await ReceiptZipAsync(index, key: null);
        var other = await ReceiptZipAsync(index, await Node.CreateKeyAsync("submitter"));
        var own = await ReceiptZipAsync(index, _fixture.SubmitterKey);
        var grpc = await Node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index, Wait = true }, TestNode.As(_fixture.SubmitterKey).WithDeadline(DateTime.UtcNow.AddSeconds(60)));

        Assert.Null(Member(anonymous, ReceiptMembers.Disclosed));
        Assert.Null(Member(other, ReceiptMembers.Disclosed));
        Assert.Equal(Member(own, ReceiptMembers.Disclosed), grpc.Disclosed.ToByteArray());

        var hidden = await VerifyAsync(anonymous);
        Assert.True(hidden.IsValid, string.Join("\n", hidden.Steps));
        Assert.True(Step(hidden, "disclosed").Skipped);
        Assert.Empty(hidden.Disclosed);

        var revealed = await VerifyAsync(own);
        Assert.True(revealed.IsValid, string.Join("\n", revealed.Steps));
        Assert.True(Step(revealed, "disclosed").Passed);
        Assert.Contains(FileName, Step(revealed, "disclosed").Detail, StringComparison.Ordinal);
        Assert.Equal(Description, revealed.Disclosed.Single(o => o.Field == "description").Value);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task Receipt_TamperedOpening_FailsTheDisclosedStepNamingTheField()
    {
        var index = await PreserveSecretAsync();
        var zip = await ReceiptZipAsync(index, _fixture.SubmitterKey);
        var disclosure = Disclosure.Parse(Member(zip, ReceiptMembers.Disclosed)!);
        var forged = Disclosure.Create(disclosure.Openings.Select(o => o.Field == "title" ? o with { Value = "Statement of someone else" } : o));

        var report = await VerifyAsync(zip, forged.Encode());

        var step = Step(report, "disclosed");
        Assert.True(step.Failed);
        Assert.Contains("\"title\"", step.Detail, StringComparison.Ordinal);
        Assert.False(report.IsValid);
        Assert.Empty(report.Disclosed);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task CaseExport_RevealsTitlePartiesAndNotes_WhileTheLeavesHoldNone_AndVerifies()
    {
        var manager = await Node.CreateKeyAsync("case-manager");
        var created = await Node.CreateAsync(manager, "Lin v. Qian Holdings", "(2026) Su 0102 Min Chu 9", ("Lin Hua", "claimant"), ("Qian Holdings Ltd", "respondent"));
        var id = created.Case.Id;
        await Node.AttachAsync(manager, id, await PreserveSecretAsync());
        var note = await Node.Cases().AddNoteAsync(new() { CaseId = id, Text = "Mediator suggests settlement" }, TestNode.As(manager));

        foreach (var index in new[] { created.Event.Index, note.Event.Index })
        {
            var leaf = await Node.Http.GetStringAsync($"/v1/entries/{index}");
            Assert.DoesNotContain("Qian", leaf, StringComparison.Ordinal);
            Assert.DoesNotContain("Lin", leaf, StringComparison.Ordinal);
            Assert.DoesNotContain("Su 0102", leaf, StringComparison.Ordinal);
            Assert.DoesNotContain("Mediator", leaf, StringComparison.Ordinal);
        }

        var (_, zip) = await Node.ExportAsync(manager, id);
        using var stream = new MemoryStream(zip);
        var report = await CaseExportVerifier.VerifyAsync(stream, Node.Trust());

        Assert.True(report.IsValid, CaseLifecycleTests.Describe(report));
        Assert.Equal("Lin v. Qian Holdings", report.Manifest!.Title);
        var createReport = report.Entries.Single(e => e.Index == created.Event.Index).Report;
        Assert.Contains(createReport.Disclosed, o => o is { Field: "party-1-name", Value: "Qian Holdings Ltd" });
        var noteReport = report.Entries.Single(e => e.Index == note.Event.Index).Report;
        Assert.Equal("Mediator suggests settlement", Assert.Single(noteReport.Disclosed).Value);
        Node.AssertNoErrors();
    }

    private static string BundlePath(ulong index, ulong size)
    {
        var tile = index / 256;
        var full = (tile + 1) * 256 <= size;
        return "/" + Core.Tiles.TileId.Entries(tile, full ? 256 : (int)(size - (tile * 256))).ToPath();
    }

    private async Task<byte[]> ReceiptZipAsync(ulong index, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/entries/{index}/receipt.zip?wait=true");
        if (key is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await Node.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static byte[]? Member(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        var member = archive.GetEntry(name);
        if (member is null)
        {
            return null;
        }

        using var content = member.Open();
        using var copy = new MemoryStream();
        content.CopyTo(copy);
        return copy.ToArray();
    }

    private async Task<Verifier.VerificationReport> VerifyAsync(byte[] zip, byte[]? replacedDisclosure = null)
    {
        using var stream = new MemoryStream(zip);
        await using var package = await ReceiptArchive.OpenAsync(stream);
        var evidence = replacedDisclosure is null ? package.Evidence : package.Evidence with { Disclosed = replacedDisclosure };
        return await ReceiptVerifier.VerifyAsync(evidence, Node.Trust());
    }

    private static Verifier.VerificationStep Step(Verifier.VerificationReport report, string name) => report.Steps.Single(s => s.Name == name);
}
