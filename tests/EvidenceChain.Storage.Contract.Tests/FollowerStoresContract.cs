using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Ledger.Cases;
using EvidenceChain.Ledger.Search;
using EvidenceChain.Storage.Contract.Tests.Infrastructure;
using EvidenceChain.Testing.Postgres;

namespace EvidenceChain.Storage.Contract.Tests;

/// <summary>What every <see cref="ICaseStore"/>, <see cref="ISearchStore"/> and <see cref="IApiKeyStore"/> does.</summary>
public abstract class FollowerStoresContract(IStoreBackend backend) : StoreContract(backend)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static Hash H(string s) => new(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)));

    private static SearchRecord Record(ulong index, string submitter, string kind, string title, string url = "") => new(
        index, H("leaf" + index), kind, T0.AddMinutes(index).AddTicks(1), submitter, title, kind == "file" ? "f" + index + ".PDF" : string.Empty, url,
        100 + (long)index, "application/pdf", H("d" + index), index % 2 == 0 ? H("sm3" + index) : null, index % 3 == 0, kind == "webpage" ? "complete" : string.Empty);

    [ContractFact]
    public async Task Cases_AddReplaceWatermark_LoadInOrderAfterReopen()
    {
        var store = await Backend.OpenCasesAsync();
        Assert.Equal(0UL, store.Watermark);
        store.Add(new StoredCaseEvent(5, new byte[] { 5 }), 6);
        store.Add(new StoredCaseEvent(2, new byte[] { 2 }), 6);
        store.Add(new StoredCaseEvent(5, new byte[] { 55 }), 7);
        store.SetWatermark(9);

        var reopened = await Backend.OpenCasesAsync();

        Assert.Equal(9UL, reopened.Watermark);
        var events = reopened.Load();
        Assert.Equal([2UL, 5UL], events.Select(e => e.Index));
        Assert.Equal(new byte[] { 55 }, events[1].Leaf.ToArray());
    }

    [ContractFact]
    public async Task Cases_Reset_ForgetsEverything()
    {
        var store = await Backend.OpenCasesAsync();
        store.Add(new StoredCaseEvent(1, new byte[] { 1 }), 2);

        store.Reset();

        Assert.Equal(0UL, store.Watermark);
        Assert.Empty(store.Load());
        Assert.Equal(0UL, (await Backend.OpenCasesAsync()).Watermark);
    }

    [ContractFact]
    public async Task Search_Filters_NewestFirstWithinTheLimit()
    {
        var store = await Backend.OpenSearchAsync();
        Assert.Equal(0UL, store.Watermark);
        Assert.Null(store.LastLeafHash);
        store.Add([Record(0, "ka", "file", "Contract Ü"), Record(1, "kb", "webpage", string.Empty, "https://Example.org/Offer")], 2, H("leaf1"));
        store.Add([Record(3, "ka", "file", "Invoice"), Record(4, "ka", "webpage", string.Empty, "https://example.org/x")], 5, H("leaf4"));

        var s = await Backend.OpenSearchAsync();

        Assert.Equal(5UL, s.Watermark);
        Assert.Equal(H("leaf4"), s.LastLeafHash);
        Assert.Equal([4UL, 3UL, 1UL, 0UL], s.Search(new SearchQuery()).Select(r => r.Index));
        Assert.Equal([4UL, 3UL, 0UL], s.Search(new SearchQuery { Submitter = "ka" }).Select(r => r.Index));
        Assert.Equal([3UL, 0UL], s.Search(new SearchQuery { Kind = "file" }).Select(r => r.Index));
        Assert.Equal([4UL, 1UL], s.Search(new SearchQuery { Text = "EXAMPLE.ORG" }).Select(r => r.Index));
        Assert.Equal([0UL], s.Search(new SearchQuery { Text = "contract ü" }).Select(r => r.Index));
        Assert.Equal([3UL], s.Search(new SearchQuery { Text = "f3.pdf" }).Select(r => r.Index));
        Assert.Equal([3UL, 1UL], s.Search(new SearchQuery { From = T0.AddMinutes(1), To = T0.AddMinutes(4) }).Select(r => r.Index));
        Assert.Equal([3UL, 1UL], s.Search(new SearchQuery { Before = 4, Limit = 2 }).Select(r => r.Index));
        Assert.Equal([4UL, 0UL], s.Search(new SearchQuery { Only = [0UL, 4UL, 7UL] }).Select(r => r.Index));
        Assert.Empty(s.Search(new SearchQuery { Submitter = "kb", Kind = "file" }));
        Assert.Equal(Record(1, "kb", "webpage", string.Empty, "https://Example.org/Offer"), s.Search(new SearchQuery { Submitter = "kb" }).Single());
        Assert.Equal(Record(0, "ka", "file", "Contract Ü"), s.Search(new SearchQuery { Before = 1 }).Single());
    }

    [ContractFact]
    public async Task Search_ReplaceAndReset()
    {
        var store = await Backend.OpenSearchAsync();
        store.Add([Record(0, "ka", "file", "old")], 1, H("leaf0"));
        store.Add([Record(0, "ka", "file", "new")], 1, H("leaf0"));
        Assert.Equal("new", store.Search(new SearchQuery()).Single().Title);

        store.Reset();

        Assert.Equal(0UL, store.Watermark);
        Assert.Null(store.LastLeafHash);
        Assert.Empty(store.Search(new SearchQuery()));
    }

    [ContractFact]
    public async Task ApiKeys_AddRevokeList_AfterReopen()
    {
        var store = await Backend.OpenApiKeysAsync();
        var a = new ApiKeyRecord("ka", "admin", "first", H("secret-a"), T0, null);
        var b = new ApiKeyRecord("kb", "submitter", "Jane Doe", H("secret-b"), T0.AddTicks(1), null);
        await store.AddAsync(b, CancellationToken.None);
        await store.AddAsync(a, CancellationToken.None);
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddAsync(a with { Role = "reader" }, CancellationToken.None));
        var revoked = await store.RevokeAsync("kb", T0.AddHours(1), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.RevokeAsync("kb", T0.AddHours(2), CancellationToken.None));
        Assert.Null(await store.RevokeAsync("kz", T0, CancellationToken.None));

        var reopened = await Backend.OpenApiKeysAsync();

        Assert.Equal(b with { Revoked = T0.AddHours(1) }, revoked);
        Assert.Equal(2, reopened.Count);
        Assert.Equal([a, b with { Revoked = T0.AddHours(1) }], reopened.List());
        Assert.Equal(a, reopened.Find("ka"));
        Assert.Null(reopened.Find("kz"));
    }
}

public sealed class FilesFollowerStoresTests() : FollowerStoresContract(new FilesBackend());

public sealed class PostgresFollowerStoresTests(PostgresDatabaseFixture database)
    : FollowerStoresContract(new PostgresBackend(database)), IClassFixture<PostgresDatabaseFixture>, INeedPostgres;
