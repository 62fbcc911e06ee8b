using EvidenceChain.Ledger;
using EvidenceChain.Ledger.Cases;
using EvidenceChain.Ledger.Jobs;
using EvidenceChain.Ledger.Search;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Ledger.Witnessing;

namespace EvidenceChain.Storage.Contract.Tests.Infrastructure;

/// <summary>
/// One driver's storage for one test. Each Open opens the port afresh on the same storage (closing what the previous
/// Open of that port opened), so a test can check that what it wrote is still there after a reopen.
/// </summary>
public interface IStoreBackend : IAsyncDisposable
{
    Task<ILedgerStore> OpenLedgerStoreAsync();

    Task<IBlobStore> OpenBlobStoreAsync();

    Task<IEntryIndex> OpenIndexAsync();

    Task<IOpeningStore> OpenOpeningsAsync();

    Task<ITimestampStore> OpenTimestampsAsync();

    Task<ITsaSerialNumbers> OpenTsaSerialsAsync();

    Task<ICosignatureStore> OpenCosignaturesAsync();

    Task<ICaseStore> OpenCasesAsync();

    Task<ISearchStore> OpenSearchAsync();

    Task<IApiKeyStore> OpenApiKeysAsync();

    Task<ICaptureJobStore> OpenJobsAsync();

    Task<IWatchStore> OpenWatchesAsync();
}
