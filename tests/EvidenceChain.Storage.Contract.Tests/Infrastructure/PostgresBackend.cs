using EvidenceChain.Ledger;
using EvidenceChain.Ledger.Cases;
using EvidenceChain.Ledger.Jobs;
using EvidenceChain.Ledger.Search;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Ledger.Witnessing;
using EvidenceChain.Storage.Postgres;
using EvidenceChain.Storage.Postgres.Internal;
using EvidenceChain.Testing.Postgres;

namespace EvidenceChain.Storage.Contract.Tests.Infrastructure;

/// <summary>The postgres driver's ports in a schema of their own; every Open opens a new pool (a new process, as far as the server can tell).</summary>
public sealed class PostgresBackend : IStoreBackend
{
    private readonly List<PostgresDatabase> _databases = [];

    public PostgresBackend(PostgresDatabaseFixture database)
    {
        ArgumentNullException.ThrowIfNull(database);
        Options = database.NewSchema();
    }

    public PostgresOptions Options { get; }

    internal async Task<PostgresDatabase> OpenDatabaseAsync()
    {
        var database = await PostgresDatabase.OpenAsync(Options, CancellationToken.None);
        _databases.Add(database);
        return database;
    }

    public async Task<ILedgerStore> OpenLedgerStoreAsync() => new PostgresLedgerStore(await OpenDatabaseAsync(), (SequencerLease?)null);

    public async Task<IBlobStore> OpenBlobStoreAsync() => new PostgresBlobStore(await OpenDatabaseAsync());

    public async Task<IEntryIndex> OpenIndexAsync() => new PostgresEntryIndex(await OpenDatabaseAsync());

    public async Task<IOpeningStore> OpenOpeningsAsync() => new PostgresOpeningStore(await OpenDatabaseAsync());

    public async Task<ITimestampStore> OpenTimestampsAsync() => await PostgresTimestampStore.OpenAsync(await OpenDatabaseAsync(), CancellationToken.None);

    public async Task<ITsaSerialNumbers> OpenTsaSerialsAsync() => new PostgresTsaSerials(await OpenDatabaseAsync());

    public async Task<ICosignatureStore> OpenCosignaturesAsync() => await PostgresCosignatureStore.OpenAsync(await OpenDatabaseAsync(), CancellationToken.None);

    public async Task<ICaseStore> OpenCasesAsync() => new PostgresCaseStore(await OpenDatabaseAsync());

    public async Task<ISearchStore> OpenSearchAsync() => new PostgresSearchStore(await OpenDatabaseAsync());

    public async Task<IApiKeyStore> OpenApiKeysAsync() => new PostgresApiKeyStore(await OpenDatabaseAsync(), TimeProvider.System);

    public async Task<ICaptureJobStore> OpenJobsAsync() => new PostgresJobStore(await OpenDatabaseAsync());

    public async Task<IWatchStore> OpenWatchesAsync() => new PostgresJobStore(await OpenDatabaseAsync());

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _databases)
        {
            await d.DisposeAsync();
        }
    }
}
