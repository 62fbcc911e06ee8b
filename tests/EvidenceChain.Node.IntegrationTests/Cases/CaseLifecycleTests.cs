using EvidenceChain.Core.Cases;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Verifier.Cases;
using Grpc.Core;

namespace EvidenceChain.Node.IntegrationTests.Cases;

/// <summary>A case's whole life through the real host: create, attach, detach, note, close, export, verify offline.</summary>
public sealed class CaseLifecycleTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly NodeFixture _fixture = fixture;

    [Fact]
    public async Task Case_FullLifecycle_EveryActionIsACaseEventAndTheExportVerifies()
    {
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var exhibit1 = await node.PreserveAsync(_fixture.SubmitterKey, 1);
        var exhibit2 = await node.PreserveAsync(_fixture.SubmitterKey, 2);

        var created = await node.CreateAsync(manager, parties: [("Li Wei", "claimant"), ("Zhang Co. Ltd", "respondent")]);
        var id = created.Case.Id;
        Assert.Matches("^c[0-9a-f]{16}$", id);
        Assert.Equal(("open", "Li v. Zhang", 2), (created.Case.Status, created.Case.Title, created.Case.Parties.Count));
        var attached1 = await node.AttachAsync(manager, id, exhibit1);
        var attached2 = await node.AttachAsync(_fixture.SubmitterKey, id, exhibit2); // a submitter attaches its own evidence
        var detached = await node.Cases().DetachEvidenceAsync(new() { CaseId = id, Index = exhibit1, Reason = "duplicate" }, As(manager));
        var noted = await node.Cases().AddNoteAsync(new() { CaseId = id, Text = "Hearing on 3 March.\nBring originals." }, As(manager));
        var closed = await node.Cases().CloseCaseAsync(new() { CaseId = id, Reason = "settled" }, As(manager));

        var shown = await node.Cases().GetCaseAsync(new() { Id = id }, As(_fixture.SubmitterKey));
        Assert.Equal("closed", shown.Status);
        var item = Assert.Single(shown.Items);
        Assert.Equal((exhibit2, Uploads.KeyId(_fixture.SubmitterKey), attached2.Event.Index), (item.Index, item.AttachedBy, item.EventIndex));
        Assert.Equal("Hearing on 3 March.\nBring originals.", Assert.Single(shown.Notes).Text);
        Assert.Equal(
            new[] { created.Event.Index, attached1.Event.Index, attached2.Event.Index, detached.Event.Index, noted.Event.Index, closed.Event.Index },
            shown.Events.Select(e => e.Index));
        Assert.Equal(["create", "attach", "attach", "detach", "note", "close"], shown.Events.Select(e => e.Action));

        // Each event is a case-event entry in the ledger naming the case, the action, the actor and the evidence.
        var attachEntry = await node.Evidence.GetEntryAsync(new() { Index = attached1.Event.Index });
        Assert.Equal("case-event", attachEntry.Kind);
        Assert.Equal(Uploads.KeyId(manager), attachEntry.Submitter);
        Assert.Equal(id, attachEntry.Attributes["case"]);
        Assert.Equal("attach", attachEntry.Attributes["action"]);
        Assert.Equal(Uploads.KeyId(manager), attachEntry.Attributes["actor"]);
        Assert.Equal(exhibit1.ToString(System.Globalization.CultureInfo.InvariantCulture), attachEntry.Attributes["evidence"]);
        Assert.Equal(created.Event.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), attachEntry.Attributes["prev-event"]);
        var exhibitEntry = await node.Evidence.GetEntryAsync(new() { Index = exhibit1 });
        Assert.Equal(exhibitEntry.LeafHash, attachEntry.Attributes["evidence-leaf-hash"]);

        var (info, zip) = await node.ExportAsync(manager, id);
        Assert.Equal("export", info.Event.Action);
        Assert.True(info.Event.Index > closed.Event.Index);
        var exportEntry = await node.Evidence.GetEntryAsync(new() { Index = info.Event.Index });
        Assert.Equal(info.ManifestSha256, exportEntry.Attributes["manifest-sha256"]);

        using var stream = new MemoryStream(zip);
        var report = await CaseExportVerifier.VerifyAsync(stream, node.Trust());
        Assert.True(report.IsValid, Describe(report));
        Assert.Equal(1, report.Entries.Count(e => !e.IsEvent));
        Assert.Equal(7, report.Entries.Count(e => e.IsEvent)); // six listed events and the export event
        Assert.Equal(CaseStatus.Closed, report.Manifest!.Status);
        Assert.Equal(exhibit2, Assert.Single(report.Manifest.Items).Index);
        node.AssertNoErrors();
    }

    [Fact]
    public async Task ExportZip_OverHttp_VerifiesAndIsRecorded()
    {
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var created = await node.CreateAsync(manager, "HTTP export");
        await node.AttachAsync(manager, created.Case.Id, await node.PreserveAsync(_fixture.SubmitterKey, 3));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/cases/{created.Case.Id}/export.zip");
        request.Headers.Authorization = new("Bearer", manager);
        using var response = await node.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var report = await CaseExportVerifier.VerifyAsync(zip, node.Trust());
        Assert.True(report.IsValid, Describe(report));
        var shown = await node.Cases().GetCaseAsync(new() { Id = created.Case.Id }, As(manager));
        Assert.Equal("export", shown.Events[^1].Action);
        node.AssertNoErrors();
    }

    [Fact]
    public async Task Json_CreateAttachAndGet_WorkOverHttp()
    {
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var exhibit = await node.PreserveAsync(_fixture.SubmitterKey, 4);

        using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/cases")
        {
            Content = new StringContent("""{"title":"JSON case","reference":"R-1","parties":[{"name":"A","role":"claimant"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        create.Headers.Authorization = new("Bearer", manager);
        using var created = await node.Http.SendAsync(create);
        Assert.Equal(System.Net.HttpStatusCode.OK, created.StatusCode);
        var id = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("case").GetProperty("id").GetString()!;

        using var attach = new HttpRequestMessage(HttpMethod.Post, $"/v1/cases/{id}:attach")
        {
            Content = new StringContent($$"""{"index":"{{exhibit}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        attach.Headers.Authorization = new("Bearer", manager);
        using var attached = await node.Http.SendAsync(attach);
        Assert.Equal(System.Net.HttpStatusCode.OK, attached.StatusCode);

        using var get = new HttpRequestMessage(HttpMethod.Get, $"/v1/cases/{id}");
        get.Headers.Authorization = new("Bearer", _fixture.SubmitterKey);
        using var shown = await node.Http.SendAsync(get);
        var body = System.Text.Json.JsonDocument.Parse(await shown.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(exhibit.ToString(System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("items")[0].GetProperty("index").GetString());

        using var again = new HttpRequestMessage(HttpMethod.Post, $"/v1/cases/{id}:attach")
        {
            Content = new StringContent($$"""{"index":"{{exhibit}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        again.Headers.Authorization = new("Bearer", manager);
        using var twice = await node.Http.SendAsync(again);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, twice.StatusCode);
        node.AssertNoErrors();
    }

    [Fact]
    public async Task Attach_SameEvidenceConcurrently_ExactlyOneSucceeds()
    {
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var exhibit = await node.PreserveAsync(_fixture.SubmitterKey, 5);
        var id = (await node.CreateAsync(manager, "Race")).Case.Id;

        var attempts = Enumerable.Range(0, 8).Select(_ => Outcome(node.AttachAsync(manager, id, exhibit))).ToList();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(o => o == StatusCode.OK));
        Assert.Equal(7, outcomes.Count(o => o == StatusCode.AlreadyExists));
        var shown = await node.Cases().GetCaseAsync(new() { Id = id }, As(manager));
        Assert.Single(shown.Items);
        Assert.Equal(2, shown.Events.Count);
        node.AssertNoErrors();

        static async Task<StatusCode> Outcome(Task call)
        {
            try
            {
                await call;
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }
    }

    [Fact]
    public async Task ListCases_FiltersByStatus()
    {
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var open = (await node.CreateAsync(manager, "Still open")).Case.Id;
        var closed = (await node.CreateAsync(manager, "Done")).Case.Id;
        await node.Cases().CloseCaseAsync(new() { CaseId = closed }, As(manager));

        var openCases = await node.Cases().ListCasesAsync(new() { Status = "open" }, As(_fixture.SubmitterKey));
        var closedCases = await node.Cases().ListCasesAsync(new() { Status = "closed" }, As(manager));

        Assert.Contains(openCases.Cases, c => c.Id == open);
        Assert.DoesNotContain(openCases.Cases, c => c.Id == closed);
        Assert.Contains(closedCases.Cases, c => c.Id == closed);
        Assert.All(closedCases.Cases, c => Assert.Equal("closed", c.Status));
    }

    internal static Grpc.Core.CallOptions As(string key) => Testing.Node.TestNode.As(key);

    internal static string Describe(CaseExportReport report) =>
        string.Join('\n', report.Export.Steps.Select(s => s.ToString())
            .Concat(report.Entries.SelectMany(e => e.Report.Steps.Select(s => $"{e.Member}: {s}"))));
}
