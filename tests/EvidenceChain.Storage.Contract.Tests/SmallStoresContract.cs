using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Ledger.Witnessing;
using EvidenceChain.Storage.Contract.Tests.Infrastructure;
using EvidenceChain.Testing.Postgres;

namespace EvidenceChain.Storage.Contract.Tests;

/// <summary>What every <see cref="IOpeningStore"/>, <see cref="ITimestampStore"/>, <see cref="ITsaSerialNumbers"/> and <see cref="ICosignatureStore"/> does.</summary>
public abstract class SmallStoresContract(IStoreBackend backend) : StoreContract(backend)
{
    private static Hash H(string s) => new(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)));

    private static StoredTimestamp Token(ulong size) => new(size, LedgerStoreContract.Note(size), [0x30, 0x03, 0x02, 0x01, (byte)size]);

    [ContractFact]
    public async Task Openings_SaveReadOverwrite_MissingIsNull()
    {
        var store = await Backend.OpenOpeningsAsync();
        await store.SaveAsync(H("a"), "{\"x\":1}"u8.ToArray(), CancellationToken.None);
        await store.SaveAsync(H("b"), "{\"y\":1}"u8.ToArray(), CancellationToken.None);
        await store.SaveAsync(H("b"), "{\"y\":2}"u8.ToArray(), CancellationToken.None);

        var reopened = await Backend.OpenOpeningsAsync();

        Assert.Equal("{\"x\":1}"u8.ToArray(), await reopened.ReadAsync(H("a"), CancellationToken.None));
        Assert.Equal("{\"y\":2}"u8.ToArray(), await reopened.ReadAsync(H("b"), CancellationToken.None));
        Assert.Null(await reopened.ReadAsync(H("c"), CancellationToken.None));
    }

    [ContractFact]
    public async Task Timestamps_AppendInIncreasingSize_LatestAndCoveringAfterReopen()
    {
        var store = await Backend.OpenTimestampsAsync();
        Assert.Null(store.Latest);
        Assert.Null(await store.FindCoveringAsync(1, CancellationToken.None));
        await store.AppendAsync([Token(1), Token(4)], CancellationToken.None);
        await store.AppendAsync([Token(9)], CancellationToken.None);

        var reopened = await Backend.OpenTimestampsAsync();

        Assert.Equal(9UL, reopened.Latest!.Size);
        Assert.Equal(Token(9).Response, reopened.Latest.Response);
        Assert.Equal(Token(9).SignedCheckpoint, reopened.Latest.SignedCheckpoint);
        Assert.Equal(1UL, (await reopened.FindCoveringAsync(0, CancellationToken.None))!.Size);
        Assert.Equal(4UL, (await reopened.FindCoveringAsync(2, CancellationToken.None))!.Size);
        Assert.Equal(4UL, (await reopened.FindCoveringAsync(4, CancellationToken.None))!.Size);
        Assert.Equal(9UL, (await reopened.FindCoveringAsync(5, CancellationToken.None))!.Size);
        Assert.Null(await reopened.FindCoveringAsync(10, CancellationToken.None));
    }

    [ContractFact]
    public async Task Timestamps_SizeNotIncreasing_ThrowsAndStoresNothing()
    {
        var store = await Backend.OpenTimestampsAsync();
        await store.AppendAsync([Token(5)], CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync([Token(6), Token(5)], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync([Token(5)], CancellationToken.None));

        Assert.Equal(5UL, store.Latest!.Size);
        Assert.Null(await store.FindCoveringAsync(6, CancellationToken.None));
    }

    [ContractFact]
    public async Task TsaSerials_ConcurrentAndAcrossReopen_PositiveAndNeverRepeated()
    {
        var first = await Backend.OpenTsaSerialsAsync();
        var serials = new System.Collections.Concurrent.ConcurrentBag<UInt128>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                serials.Add(first.Allocate());
            }
        })));

        var second = await Backend.OpenTsaSerialsAsync();
        for (var i = 0; i < 100; i++)
        {
            serials.Add(second.Allocate());
        }

        Assert.Equal(2100, serials.Count);
        Assert.Equal(2100, serials.Distinct().Count());
        Assert.All(serials, s => Assert.True(s > 0));
    }

    [ContractFact]
    public async Task Cosignatures_EmptyThenSaved_RoundTripsAfterReopen()
    {
        var store = await Backend.OpenCosignaturesAsync();
        Assert.Equal(CosignatureState.Empty.Witnesses, store.Current.Witnesses);
        Assert.Null(store.Current.Latest);
        var state = new CosignatureState(
            new CosignedCheckpoint(7, LedgerStoreContract.Note(7) + "— court-a xyz=\n", ["court-a"]),
            null,
            [new WitnessRecord("court-a", 7), new WitnessRecord("court-b", 0)]);
        await store.SaveAsync(state, CancellationToken.None);
        var replaced = state with { Quorum = new CosignedCheckpoint(5, LedgerStoreContract.Note(5), ["court-a", "court-b"]) };
        await store.SaveAsync(replaced, CancellationToken.None);

        var reopened = await Backend.OpenCosignaturesAsync();

        var current = reopened.Current;
        Assert.Equal(replaced.Latest!.Size, current.Latest!.Size);
        Assert.Equal(replaced.Latest.SignedNote, current.Latest.SignedNote);
        Assert.Equal(replaced.Latest.Witnesses, current.Latest.Witnesses);
        Assert.Equal(5UL, current.Quorum!.Size);
        Assert.Equal(["court-a", "court-b"], current.Quorum.Witnesses);
        Assert.Equal(replaced.Witnesses, current.Witnesses);
    }
}

public sealed class FilesSmallStoresTests() : SmallStoresContract(new FilesBackend());

public sealed class PostgresSmallStoresTests(PostgresDatabaseFixture database)
    : SmallStoresContract(new PostgresBackend(database)), IClassFixture<PostgresDatabaseFixture>, INeedPostgres;
