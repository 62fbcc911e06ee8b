using EvidenceChain.Ledger;
using EvidenceChain.Ledger.Cases;
using EvidenceChain.Ledger.Jobs;
using EvidenceChain.Ledger.Search;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Ledger.Witnessing;
using EvidenceChain.Testing;

namespace EvidenceChain.Storage.Contract.Tests.Infrastructure;

/// <summary>The files driver's ports in a temporary data folder.</summary>
public sealed class FilesBackend : IStoreBackend
{
    private readonly TempFolder _temp = new();
    private readonly DataFolder _folder;
    private readonly Dictionary<string, object> _open = [];

    public FilesBackend() => _folder = DataFolder.Open(_temp.Sub("data"), create: true);

    public Task<ILedgerStore> OpenLedgerStoreAsync()
    {
        var store = new FileLedgerStore(_folder.LogPath);
        store.RepairHistory();
        return Task.FromResult<ILedgerStore>(Replace("log", store));
    }

    public Task<IBlobStore> OpenBlobStoreAsync() => Task.FromResult<IBlobStore>(Replace("blobs", () => new FileBlobStore(_folder.BlobsPath)));

    public Task<IEntryIndex> OpenIndexAsync() => Task.FromResult<IEntryIndex>(Replace("index", () => new LiteDbEntryIndex(_folder.IndexPath)));

    public Task<IOpeningStore> OpenOpeningsAsync() => Task.FromResult<IOpeningStore>(new FileOpeningStore(_folder.OpeningsPath));

    public Task<ITimestampStore> OpenTimestampsAsync() => Task.FromResult<ITimestampStore>(Replace("timestamps", () => new FileTimestampStore(_folder.LogPath)));

    public Task<ITsaSerialNumbers> OpenTsaSerialsAsync()
    {
        Directory.CreateDirectory(_folder.KeysPath);
        return Task.FromResult<ITsaSerialNumbers>(new TsaSerialFile(_folder.KeysPath));
    }

    public Task<ICosignatureStore> OpenCosignaturesAsync() => Task.FromResult<ICosignatureStore>(new FileCosignatureStore(_folder.LogPath));

    public Task<ICaseStore> OpenCasesAsync() => Task.FromResult<ICaseStore>(Replace("cases", () => new LiteDbCaseStore(_folder)));

    public Task<ISearchStore> OpenSearchAsync() => Task.FromResult<ISearchStore>(Replace("search", () => new LiteDbSearchStore(_folder)));

    public Task<IApiKeyStore> OpenApiKeysAsync() => Task.FromResult<IApiKeyStore>(Replace("apikeys", () => new ApiKeyStore(_folder.StatePath)));

    public Task<ICaptureJobStore> OpenJobsAsync() => Task.FromResult<ICaptureJobStore>(Replace("jobs", () => new LiteDbJobStore(_folder)));

    public Task<IWatchStore> OpenWatchesAsync() => Task.FromResult<IWatchStore>(Replace("jobs", () => new LiteDbJobStore(_folder)));

    public ValueTask DisposeAsync()
    {
        foreach (var o in _open.Values)
        {
            (o as IDisposable)?.Dispose();
        }

        _folder.Dispose();
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }

    private T Replace<T>(string port, T store)
        where T : class
    {
        if (_open.Remove(port, out var previous))
        {
            (previous as IDisposable)?.Dispose();
        }

        _open[port] = store;
        return store;
    }

    // The previous one closes first: LiteDB files and the blob packs admit one writer.
    private T Replace<T>(string port, Func<T> open)
        where T : class
    {
        if (_open.Remove(port, out var previous))
        {
            (previous as IDisposable)?.Dispose();
        }

        var store = open();
        _open[port] = store;
        return store;
    }
}
