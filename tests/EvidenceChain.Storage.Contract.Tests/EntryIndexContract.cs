using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Contract.Tests.Infrastructure;
using EvidenceChain.Testing.Postgres;

namespace EvidenceChain.Storage.Contract.Tests;

/// <summary>What every <see cref="IEntryIndex"/> does.</summary>
public abstract class EntryIndexContract(IStoreBackend backend) : StoreContract(backend)
{
    private static Hash H(string s) => new(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)));

    private static IndexedEntry Entry(ulong index, params string[] digests) => new(index, H("leaf" + index), [.. digests.Select(H)]);

    [ContractFact]
    public async Task Empty_NothingFound()
    {
        var index = await Backend.OpenIndexAsync();

        Assert.Equal(0UL, index.IndexedSize);
        Assert.Null(index.FindByLeafHash(H("leaf0")));
        Assert.Empty(index.FindByDigest(H("a"), 10));
    }

    [ContractFact]
    public async Task Add_ThenFind_ByLeafAndDigest_AfterReopen()
    {
        var index = await Backend.OpenIndexAsync();
        index.Add([Entry(0, "a"), Entry(1, "b", "shared")]);
        index.Add([Entry(2, "shared"), Entry(3, "shared", "shared")]);

        var reopened = await Backend.OpenIndexAsync();

        Assert.Equal(4UL, reopened.IndexedSize);
        Assert.Equal(2UL, reopened.FindByLeafHash(H("leaf2")));
        Assert.Null(reopened.FindByLeafHash(H("leaf9")));
        Assert.Equal([0UL], reopened.FindByDigest(H("a"), 10));
        Assert.Equal([1UL, 2UL, 3UL], reopened.FindByDigest(H("shared"), 10));
        Assert.Equal([1UL, 2UL], reopened.FindByDigest(H("shared"), 2));
    }

    [ContractFact]
    public async Task Add_WithAGap_Throws()
    {
        var index = await Backend.OpenIndexAsync();
        index.Add([Entry(0, "a")]);

        Assert.Throws<ArgumentException>(() => index.Add([Entry(2, "b")]));
        Assert.Equal(1UL, index.IndexedSize);
    }

    [ContractFact]
    public async Task Add_EntriesIndexedAlready_SkippedAndTheRestAdded()
    {
        // Two writers following one log (a shared log's processes) add the same entries: the second adds only what is new.
        var index = await Backend.OpenIndexAsync();
        index.Add([Entry(0, "a"), Entry(1, "b")]);

        index.Add([Entry(0, "a"), Entry(1, "b")]);
        index.Add([Entry(1, "b"), Entry(2, "b"), Entry(3, "c")]);

        Assert.Equal(4UL, index.IndexedSize);
        Assert.Equal([1UL, 2UL], index.FindByDigest(H("b"), 10));
        Assert.Equal([0UL], index.FindByDigest(H("a"), 10));
        Assert.Equal(3UL, index.FindByLeafHash(H("leaf3")));
        Assert.Throws<ArgumentException>(() => index.Add([Entry(3, "c"), Entry(5, "d")]));
        Assert.Equal(4UL, index.IndexedSize);
    }

    [ContractFact]
    public async Task Reset_EmptiesTheIndex_ThenItFillsFromZeroAgain()
    {
        var index = await Backend.OpenIndexAsync();
        index.Add([Entry(0, "a"), Entry(1, "b")]);

        index.Reset();
        index.Add([Entry(0, "c")]);

        Assert.Equal(1UL, index.IndexedSize);
        Assert.Empty(index.FindByDigest(H("a"), 10));
        Assert.Null(index.FindByLeafHash(H("leaf1")));
        Assert.Equal([0UL], index.FindByDigest(H("c"), 10));
    }
}

public sealed class FilesEntryIndexTests() : EntryIndexContract(new FilesBackend());

public sealed class PostgresEntryIndexTests(PostgresDatabaseFixture database)
    : EntryIndexContract(new PostgresBackend(database)), IClassFixture<PostgresDatabaseFixture>, INeedPostgres;
