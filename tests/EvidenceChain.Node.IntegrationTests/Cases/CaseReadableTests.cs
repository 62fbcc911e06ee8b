using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EvidenceChain.Api.V1;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing.Node;
using Grpc.Core;

namespace EvidenceChain.Node.IntegrationTests.Cases;

/// <summary>
/// What a mediation centre reads: cases found by title, reference or party and paged; case items with their title,
/// kind and screenshot flag; events and notes with the actor's key description; and what a submitter key may see of
/// them.
/// </summary>
public sealed class CaseReadableTests
{
    [Fact]
    public async Task ListCases_Query_MatchesTitleReferenceAndPartyInAnyCase()
    {
        await using var node = await TestNode.StartAsync();
        var manager = await node.CreateKeyAsync("case-manager", "Clerk");
        var li = (await node.CreateAsync(manager, "Li v. Zhang", "(2026) Hu 0101 Min Chu 123", ("Li Wei", "claimant"))).Case.Id;
        var wang = (await node.CreateAsync(manager, "Photo licence", "MC-2026-0042", ("Wang Fang", "claimant"), ("Blue Sky Media", "respondent"))).Case.Id;
        await node.Cases().CloseCaseAsync(new() { CaseId = li }, TestNode.As(manager));

        Assert.Equal([li], await IdsAsync(node, manager, new() { Q = "ZHANG" }));
        Assert.Equal([wang], await IdsAsync(node, manager, new() { Q = "mc-2026" }));
        Assert.Equal([wang], await IdsAsync(node, manager, new() { Q = "blue sky" }));
        Assert.Equal([li], await IdsAsync(node, manager, new() { Q = "li wei" }));
        Assert.Empty(await IdsAsync(node, manager, new() { Q = "li wei", Status = "open" }));
        Assert.Equal([li, wang], await IdsAsync(node, manager, new()));
        var summary = (await node.Cases().ListCasesAsync(new() { Q = "photo" }, TestNode.As(manager))).Cases[0];
        Assert.Equal(["Wang Fang", "Blue Sky Media"], summary.Parties.Select(p => p.Name));
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            async () => await node.Cases().ListCasesAsync(new() { Q = new string('x', 257) }, TestNode.As(manager)), "q: at most 256");
        node.AssertNoErrors();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ListCases_Paging_EveryCaseOnceInOrder(bool newestFirst)
    {
        await using var node = await TestNode.StartAsync();
        var manager = await node.CreateKeyAsync("case-manager");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await node.CreateAsync(manager, $"Case {i}")).Case.Id);
        }

        var seen = new List<string>();
        var request = new ListCasesRequest { PageSize = 2, NewestFirst = newestFirst };
        do
        {
            var page = await node.Cases().ListCasesAsync(request, TestNode.As(manager));
            Assert.True(page.Cases.Count <= 2);
            seen.AddRange(page.Cases.Select(c => c.Id));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(newestFirst ? Enumerable.Reverse(ids) : ids, seen);
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            async () => await node.Cases().ListCasesAsync(new() { PageSize = 2, Q = "Case", PageToken = (await node.Cases().ListCasesAsync(new() { PageSize = 2 }, TestNode.As(manager))).NextPageToken }, TestNode.As(manager)),
            "other filters");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, // a token is bound to its order too
            async () => await node.Cases().ListCasesAsync(new() { PageSize = 2, NewestFirst = !newestFirst, PageToken = (await node.Cases().ListCasesAsync(new() { PageSize = 2, NewestFirst = newestFirst }, TestNode.As(manager))).NextPageToken }, TestNode.As(manager)),
            "other filters");
        node.AssertNoErrors();
    }

    [Fact]
    public async Task GetCase_ItemsTitledAndActorsDescribed_SubmitterSeesOnlyItsOwn()
    {
        await using var node = await TestNode.StartAsync();
        var manager = await node.CreateKeyAsync("case-manager", "Mediation clerk Chen");
        var alice = await node.CreateKeyAsync("submitter", "Alice, photographer");
        var bob = await node.CreateKeyAsync("submitter", "Bob");
        var titled = (await Uploads.PreserveAsync(node, alice, Uploads.Bytes(30, 1), "IMG_0001.jpg", "image/jpeg", title: "Original photograph")).Entry.Index;
        var untitled = (await Uploads.PreserveAsync(node, bob, Uploads.Bytes(30, 2), "<img src=x onerror=alert(1)>.txt")).Entry.Index;
        var id = (await node.CreateAsync(manager)).Case.Id;
        await node.AttachAsync(alice, id, titled);
        await node.AttachAsync(manager, id, untitled);
        await node.Cases().AddNoteAsync(new() { CaseId = id, Text = "Hearing on 3 March." }, TestNode.As(manager));

        var shown = await node.Cases().GetCaseAsync(new() { Id = id }, TestNode.As(manager));
        var asAlice = await node.Cases().GetCaseAsync(new() { Id = id }, TestNode.As(alice));

        Assert.Equal(("file", "Original photograph", false), (shown.Items[0].Kind, shown.Items[0].Title, shown.Items[0].HasScreenshot));
        Assert.Equal(("file", "<img src=x onerror=alert(1)>.txt"), (shown.Items[1].Kind, shown.Items[1].Title)); // the file name, as text
        Assert.Equal("Alice, photographer", shown.Items[0].AttachedByDescription);
        Assert.Equal("Mediation clerk Chen", shown.CreatedByDescription);
        Assert.Equal("Mediation clerk Chen", Assert.Single(shown.Notes).AuthorDescription);
        Assert.Equal(["Mediation clerk Chen", "Alice, photographer", "Mediation clerk Chen", "Mediation clerk Chen"], shown.Events.Select(e => e.ActorDescription));
        Assert.Equal("Original photograph", asAlice.Items[0].Title);
        Assert.Equal(("file", string.Empty), (asAlice.Items[1].Kind, asAlice.Items[1].Title)); // bob's committed file name stays hidden
        Assert.Equal(["", "Alice, photographer", "", ""], asAlice.Events.Select(e => e.ActorDescription));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/cases/{id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", manager);
        using var response = await node.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var item = json.RootElement.GetProperty("items")[0];
        Assert.Equal("Original photograph", item.GetProperty("title").GetString());
        Assert.Equal("Mediation clerk Chen", json.RootElement.GetProperty("events")[0].GetProperty("actorDescription").GetString());
        node.AssertNoErrors();
    }

    private static async Task<List<string>> IdsAsync(TestNode node, string key, ListCasesRequest request) =>
        [.. (await node.Cases().ListCasesAsync(request, TestNode.As(key))).Cases.Select(c => c.Id)];
}
