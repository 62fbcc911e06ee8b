using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EvidenceChain.Api.V1;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using Grpc.Core;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// SearchEntries and WhoAmI against a real node: role limits, each filter, paging while entries arrive, malformed
/// parameters, and the search store (search.db) rebuilt or caught up from the ledger after a restart.
/// </summary>
public sealed class SearchTests
{
    [Fact]
    public async Task Search_Submitter_SeesOnlyItsOwnEntries_CaseManagerSeesAll()
    {
        await using var node = await TestNode.StartAsync();
        var alice = await node.CreateKeyAsync("submitter", "Alice, rights holder");
        var bob = await node.CreateKeyAsync("submitter", "Bob");
        var manager = await node.CreateKeyAsync("case-manager", "Mediation clerk");
        var a = await PreserveAsync(node, alice, Bytes(10, 1), "alice.txt");
        var b = await PreserveAsync(node, bob, Bytes(10, 2), "bob.txt");

        var aliceSees = await SearchAsync(node, alice, new SearchEntriesRequest());
        var bobSees = await SearchAsync(node, bob, new SearchEntriesRequest { Sha256 = a.Entry.Artefacts[0].Sha256 });
        var managerSees = await SearchAsync(node, manager, new SearchEntriesRequest());

        var only = Assert.Single(aliceSees.Entries);
        Assert.Equal(a.Entry.Index, only.Index);
        Assert.Equal("alice.txt", only.FileName);
        Assert.Equal(KeyId(alice), only.Submitter);
        Assert.Equal("Alice, rights holder", only.SubmitterDescription);
        Assert.Empty(bobSees.Entries); // not even by the digest of alice's file
        Assert.Equal([b.Entry.Index, a.Entry.Index], managerSees.Entries.Select(e => e.Index)); // newest first; no key events
        node.AssertNoErrors();
    }

    [Fact]
    public async Task Search_EachFilter_SelectsItsEntries()
    {
        await using var node = await TestNode.StartAsync();
        var key = await node.CreateKeyAsync("submitter");
        var contract = await PreserveAsync(node, key, Bytes(30, 3), "Signed-Contract.PDF", "application/pdf", title: "Licence with Zhang Co.");
        var photo = await PreserveAsync(node, key, Bytes(40, 4), "photo.jpg", "image/jpeg");
        var middle = DateTimeOffset.Parse(photo.Entry.Time, System.Globalization.CultureInfo.InvariantCulture);
        var later = await PreserveAsync(node, key, Bytes(50, 5), "notes.txt");

        Assert.Equal([contract.Entry.Index], await IndicesAsync(node, key, new() { Q = "zhang" })); // title, any case
        Assert.Equal([contract.Entry.Index], await IndicesAsync(node, key, new() { Q = "contract.pdf" })); // file name
        Assert.Empty(await IndicesAsync(node, key, new() { Q = "nowhere" }));
        Assert.Equal([later.Entry.Index, photo.Entry.Index, contract.Entry.Index], await IndicesAsync(node, key, new() { Kind = "file" }));
        Assert.Empty(await IndicesAsync(node, key, new() { Kind = "webpage" }));
        Assert.Equal([photo.Entry.Index], await IndicesAsync(node, key, new() { Sha256 = photo.Entry.Artefacts[0].Sha256 }));
        Assert.Equal([later.Entry.Index, photo.Entry.Index], await IndicesAsync(node, key, new() { From = photo.Entry.Time }));
        Assert.Equal([contract.Entry.Index], await IndicesAsync(node, key, new() { To = photo.Entry.Time }));
        Assert.Equal([photo.Entry.Index], await IndicesAsync(node, key, new()
        {
            From = middle.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture),
            To = later.Entry.Time,
        }));

        var found = Assert.Single((await SearchAsync(node, key, new() { Q = "Licence" })).Entries);
        Assert.Equal("file", found.Kind);
        Assert.Equal("Licence with Zhang Co.", found.Title);
        Assert.Equal("application/pdf", found.MediaType);
        Assert.Equal(30UL, found.Size);
        Assert.Equal(contract.Entry.Artefacts[0].Sha256, found.Sha256);
        Assert.Equal(contract.Entry.LeafHash, found.LeafHash);
        Assert.Equal(contract.Entry.Time, found.Time);
        Assert.False(found.HasScreenshot);
        node.AssertNoErrors();
    }

    [Fact]
    public async Task Search_Paging_NoDuplicatesOrGapsWhileEntriesArrive()
    {
        await using var node = await TestNode.StartAsync();
        var key = await node.CreateKeyAsync("submitter");
        var first = new List<ulong>();
        for (var i = 0; i < 7; i++)
        {
            first.Add((await PreserveAsync(node, key, Bytes(20, 100 + i), $"page-{i}.txt")).Entry.Index);
        }

        var seen = new List<ulong>();
        var request = new SearchEntriesRequest { PageSize = 3 };
        var arrived = 0;
        do
        {
            var page = await SearchAsync(node, key, request);
            Assert.True(page.Entries.Count <= 3);
            seen.AddRange(page.Entries.Select(e => e.Index));
            await PreserveAsync(node, key, Bytes(20, 200 + arrived), $"late-{arrived++}.txt"); // newer than every page
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        first.Reverse();
        Assert.Equal(first, seen);
        var fresh = await SearchAsync(node, key, new SearchEntriesRequest { PageSize = 1 });
        Assert.Equal("late-" + (arrived - 1) + ".txt", fresh.Entries[0].FileName); // what arrived meanwhile heads a new first page
        node.AssertNoErrors();
    }

    [Theory]
    [InlineData("page_size=501", "page_size: at most 500")]
    [InlineData("kind=web", "kind: expected file, webpage or empty")]
    [InlineData("sha256=abc", "sha256: expected 64 hex digits")]
    [InlineData("from=yesterday", "from: expected an RFC 3339 time")]
    [InlineData("to=2026-12-07", "to: expected an RFC 3339 time")]
    [InlineData("from=2026-12-08T00:00:00Z&to=2026-12-07T00:00:00Z", "is after to")]
    [InlineData("page_token=not-a-token", "page_token is malformed")]
    public async Task SearchJson_MalformedParameter_Http400NamingIt(string query, string message)
    {
        await using var node = await TestNode.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/entries:search?" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", node.AdminKey);

        using var response = await node.Http.SendAsync(request);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, StatusCode.InvalidArgument, message);
        node.AssertNoErrors();
    }

    [Fact]
    public async Task Search_TokenOfOtherFilters_InvalidArgument_AndNoKey_Unauthenticated()
    {
        await using var node = await TestNode.StartAsync();
        var key = await node.CreateKeyAsync("submitter");
        for (var i = 0; i < 3; i++)
        {
            await PreserveAsync(node, key, Bytes(20, 300 + i), $"t-{i}.txt");
        }

        var page = await SearchAsync(node, key, new SearchEntriesRequest { PageSize = 1 });
        Assert.NotEmpty(page.NextPageToken);

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => SearchAsync(node, key, new SearchEntriesRequest { PageSize = 1, Q = "t-", PageToken = page.NextPageToken }), "other filters");
        using var anonymous = await node.Http.GetAsync("/v1/entries:search");
        await HttpAssert.ErrorAsync(anonymous, HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "API key");
        node.AssertNoErrors();
    }

    [Fact]
    public async Task SearchJson_ShapeAsDocumented()
    {
        await using var node = await TestNode.StartAsync();
        var key = await node.CreateKeyAsync("submitter", "Jane Doe");
        await PreserveAsync(node, key, Bytes(20, 7), "a.txt", title: "First");
        await PreserveAsync(node, key, Bytes(20, 8), "b.txt");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/entries:search?q=.TXT&page_size=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

        using var response = await node.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var entry = json.RootElement.GetProperty("entries")[0];
        Assert.Equal(JsonValueKind.String, entry.GetProperty("index").ValueKind); // proto3 JSON: 64-bit integers as strings
        Assert.Equal("b.txt", entry.GetProperty("fileName").GetString());
        Assert.Equal("Jane Doe", entry.GetProperty("submitterDescription").GetString());
        var token = json.RootElement.GetProperty("nextPageToken").GetString();
        using var next = new HttpRequestMessage(HttpMethod.Get, "/v1/entries:search?q=.TXT&page_size=1&page_token=" + Uri.EscapeDataString(token!));
        next.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var second = await node.Http.SendAsync(next);
        using var secondJson = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.Equal("a.txt", secondJson.RootElement.GetProperty("entries")[0].GetProperty("fileName").GetString());
        Assert.Equal(string.Empty, secondJson.RootElement.TryGetProperty("nextPageToken", out var last) ? last.GetString() : string.Empty); // the last page
        node.AssertNoErrors();
    }

    [FilesDriverOnly("deletes search.db")]
    [Fact]
    public async Task Restart_SearchStoreDeleted_RebuiltFromTheLedger()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        string key;
        ulong index;
        await using (var node = await TestNode.StartAsync(data))
        {
            key = await node.CreateKeyAsync("submitter", "Alice");
            index = (await PreserveAsync(node, key, Bytes(20, 9), "before.txt", title: "Committed title")).Entry.Index;
        }

        File.Delete(Path.Combine(data, "search.db"));
        await using var restarted = await TestNode.StartAsync(data);

        var found = Assert.Single((await SearchAsync(restarted, key, new() { Q = "committed" })).Entries);
        Assert.Equal(index, found.Index);
        Assert.Equal("before.txt", found.FileName); // the committed fields come back from the openings
        Assert.Equal("Committed title", found.Title);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "search.db")));
        }

        restarted.AssertNoErrors();
    }

    [FilesDriverOnly("damages search.db")]
    [Fact]
    public async Task Restart_SearchStoreDamaged_RecreatedAndRebuilt()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        string key;
        await using (var node = await TestNode.StartAsync(data))
        {
            key = await node.CreateKeyAsync("submitter");
            await PreserveAsync(node, key, Bytes(20, 12), "kept.txt");
        }

        await File.WriteAllBytesAsync(Path.Combine(data, "search.db"), Bytes(16384, 13));
        await using var restarted = await TestNode.StartAsync(data);

        Assert.Equal("kept.txt", Assert.Single((await SearchAsync(restarted, key, new())).Entries).FileName);
        Assert.Contains(restarted.Logs.Records, r => r.Message.Contains("search.db does not open", StringComparison.Ordinal));
        restarted.AssertNoErrors();
    }

    [FilesDriverOnly("replaces search.db")]
    [Fact]
    public async Task Restart_SearchStoreBehindTheLedger_CatchesUp()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        var stale = temp.Sub("search.db.stale");
        string key;
        ulong late;
        await using (var node = await TestNode.StartAsync(data))
        {
            key = await node.CreateKeyAsync("submitter");
            await PreserveAsync(node, key, Bytes(20, 10), "early.txt");
            Assert.Single((await SearchAsync(node, key, new())).Entries);
        }

        File.Copy(Path.Combine(data, "search.db"), stale);
        await using (var node = await TestNode.StartAsync(data))
        {
            late = (await PreserveAsync(node, key, Bytes(20, 11), "late.txt")).Entry.Index;
            Assert.Equal(2, (await SearchAsync(node, key, new())).Entries.Count);
        }

        File.Copy(stale, Path.Combine(data, "search.db"), overwrite: true); // as if the last writes were lost
        await using var restarted = await TestNode.StartAsync(data);

        var entries = (await SearchAsync(restarted, key, new())).Entries;
        Assert.Equal(["late.txt", "early.txt"], entries.Select(e => e.FileName));
        Assert.Equal(late, entries[0].Index);
        restarted.AssertNoErrors();
    }

    [Fact]
    public async Task WhoAmI_EachRole_ItsKey_AndWithoutKey_Unauthenticated()
    {
        await using var node = await TestNode.StartAsync();
        var submitter = await node.CreateKeyAsync("submitter", "Jane Doe");
        var manager = await node.CreateKeyAsync("case-manager", "Shanghai mediation centre");

        var me = await node.Evidence.WhoAmIAsync(new WhoAmIRequest(), TestNode.As(submitter));
        var clerk = await node.Evidence.WhoAmIAsync(new WhoAmIRequest(), TestNode.As(manager));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/whoami");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", node.AdminKey);
        using var admin = await node.Http.SendAsync(request);
        using var anonymous = await node.Http.GetAsync("/v1/whoami");

        Assert.Equal(new WhoAmIResponse { Id = KeyId(submitter), Role = "submitter", Description = "Jane Doe" }, me);
        Assert.Equal(new WhoAmIResponse { Id = KeyId(manager), Role = "case-manager", Description = "Shanghai mediation centre" }, clerk);
        using var json = JsonDocument.Parse(await admin.Content.ReadAsStringAsync());
        Assert.Equal(KeyId(node.AdminKey), json.RootElement.GetProperty("id").GetString());
        Assert.Equal("admin", json.RootElement.GetProperty("role").GetString());
        await HttpAssert.ErrorAsync(anonymous, HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "API key");
        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, async () => await node.Evidence.WhoAmIAsync(new WhoAmIRequest(), TestNode.As(submitter[..^2] + "xx")));
        node.AssertNoErrors();
    }

    private static async Task<SearchEntriesResponse> SearchAsync(TestNode node, string key, SearchEntriesRequest request) =>
        await node.Evidence.SearchEntriesAsync(request, TestNode.As(key));

    private static async Task<List<ulong>> IndicesAsync(TestNode node, string key, SearchEntriesRequest request) =>
        [.. (await SearchAsync(node, key, request)).Entries.Select(e => e.Index)];
}
