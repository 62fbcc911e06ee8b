using EvidenceChain.Ledger;
using EvidenceChain.Ledger.Cases;
using EvidenceChain.Ledger.Jobs;
using EvidenceChain.Ledger.Search;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Ledger.Witnessing;
using EvidenceChain.Storage.Internal;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Storage;

/// <summary>
/// The <c>files</c> storage driver: every port in one data folder, held with its lock — the log as C2SP tlog-tiles
/// files (<c>log/</c>), artefacts in packs and files (<c>blobs/</c>), openings (<c>openings/</c>), timestamp tokens
/// and cosignatures beside the checkpoints, the TSA's serial numbers (<c>keys/tsa.serial</c>, written when the first is allocated), and LiteDB files for
/// the index (<c>index.db</c>), cases (<c>cases.db</c>), search (<c>search.db</c>) and API keys (<c>node.db</c>).
/// See the project README for the layout.
/// </summary>
/// <remarks>
/// Opening repairs a torn checkpoint history and reports a damaged file as <see cref="DataFolderDamagedException"/>
/// naming it; a search store that does not open is derived, so it is deleted and rebuilt (a warning says so).
/// Disposing drains the index and the blob packs, closes the files and releases the folder.
/// </remarks>
public sealed class FilesDriver : IStorageDriver
{
    /// <summary>The driver's name in settings (<c>Storage:Driver</c>).</summary>
    public const string DriverName = "files";

    private readonly LiteDbEntryIndex _indexFile;
    private readonly BufferedEntryIndex _index;
    private readonly FileTimestampStore? _timestamps;
    private readonly LiteDbCaseStore? _cases;
    private readonly NamedCaseStore? _namedCases;
    private readonly LiteDbSearchStore? _search;
    private readonly ApiKeyStore? _apiKeys;
    private readonly LiteDbJobStore? _jobs;
    private int _disposed;

    private FilesDriver(
        DataFolder folder,
        FileLedgerStore log,
        LiteDbEntryIndex indexFile,
        BufferedEntryIndex index,
        FileBlobStore blobs,
        LazyTsaSerials serials,
        FileTimestampStore? timestamps,
        LiteDbCaseStore? cases,
        LiteDbSearchStore? search,
        ApiKeyStore? apiKeys,
        LiteDbJobStore? jobs)
    {
        Folder = folder;
        FileLog = log;
        _indexFile = indexFile;
        _index = index;
        FileBlobs = blobs;
        FileOpenings = new FileOpeningStore(folder.OpeningsPath);
        TsaSerials = serials;
        _timestamps = timestamps;
        Cosignatures = new LazyCosignatureStore(folder.Path, folder.LogPath);
        _cases = cases;
        _namedCases = cases is null ? null : new NamedCaseStore(cases, folder.Path);
        _search = search;
        _apiKeys = apiKeys;
        _jobs = jobs;
    }

    /// <summary>The data folder (locked while this is open).</summary>
    public DataFolder Folder { get; }

    /// <inheritdoc/>
    public string Name => DriverName;

    /// <inheritdoc/>
    public string Location => Folder.Path;

    /// <inheritdoc/>
    public ILedgerStore Log => FileLog;

    /// <inheritdoc/>
    public IBlobStore Blobs => FileBlobs;

    /// <inheritdoc/>
    public IEntryIndex Index => _index;

    /// <inheritdoc/>
    public IOpeningStore Openings => FileOpenings;

    /// <inheritdoc/>
    public ITimestampStore Timestamps => _timestamps ?? throw LedgerOnly();

    /// <inheritdoc/>
    public ITsaSerialNumbers TsaSerials { get; }

    /// <inheritdoc/>
    public ICosignatureStore Cosignatures { get; }

    /// <inheritdoc/>
    public ICaseStore Cases => _namedCases ?? throw LedgerOnly();

    /// <inheritdoc/>
    public ISearchStore Search => _search ?? throw LedgerOnly();

    /// <inheritdoc/>
    public IApiKeyStore ApiKeys => _apiKeys ?? throw LedgerOnly();

    /// <inheritdoc/>
    /// <remarks>In <c>jobs.db</c>.</remarks>
    public ICaptureJobStore Jobs => _jobs ?? throw LedgerOnly();

    /// <inheritdoc/>
    /// <remarks>In <c>jobs.db</c>, with the jobs.</remarks>
    public IWatchStore Watches => _jobs ?? throw LedgerOnly();

    /// <summary>The log files (<c>log/</c>).</summary>
    internal FileLedgerStore FileLog { get; }

    /// <summary>The index file itself, behind the buffer that <see cref="Index"/> is.</summary>
    internal LiteDbEntryIndex IndexFile => _indexFile;

    /// <summary>The blob store (<c>blobs/</c>).</summary>
    internal FileBlobStore FileBlobs { get; }

    /// <summary>The openings (<c>openings/</c>).</summary>
    internal FileOpeningStore FileOpenings { get; }

    /// <summary>
    /// Opens (creating when needed) the data folder at <paramref name="path"/> and every store in it. With
    /// <paramref name="rebuildIndex"/> the index file is deleted first, so that opening the ledger rebuilds it.
    /// </summary>
    /// <exception cref="DataFolderLockedException">Another process holds the folder.</exception>
    /// <exception cref="DataFolderDamagedException">A file cannot be used as it is; the message names it.</exception>
    /// <exception cref="LedgerCorruptException">The checkpoint history is inconsistent; run <c>evidencectl audit</c>.</exception>
    public static FilesDriver Open(string path, ILoggerFactory loggers, bool rebuildIndex = false) =>
        Open(path, loggers, rebuildIndex, ledgerOnly: false);

    /// <summary>
    /// Opens the folder as the public overload does; with <paramref name="ledgerOnly"/> only what a ledger needs (the
    /// log, the index, blobs, openings, TSA serials and cosignatures), so that <see cref="FileLedger"/> creates no node
    /// state (<c>node.db</c>, <c>cases.db</c>, <c>search.db</c>, timestamp tokens) in a folder; the other ports then throw.
    /// </summary>
    internal static FilesDriver Open(string path, ILoggerFactory loggers, bool rebuildIndex, bool ledgerOnly)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var folder = DataFolder.Open(path, create: true);
        var data = folder.Path;
        List<IDisposable> opened = [];
        try
        {
            var log = new FileLedgerStore(folder.LogPath);
            try
            {
                log.RepairHistory();
            }
            catch (Exception e) when (Damage.Name(e, data, e is LedgerCorruptException ? "log" : null, Damage.LedgerFiles) is { } damaged)
            {
                throw damaged;
            }

            if (rebuildIndex)
            {
                LiteDbEntryIndex.Delete(folder.IndexPath);
            }

            var indexFile = Damage.Open(data, "index.db", Damage.LedgerFiles, () => new LiteDbEntryIndex(folder.IndexPath));
            opened.Add(indexFile);
            var index = new BufferedEntryIndex(indexFile);
            opened.Add(index);
            var blobs = new FileBlobStore(folder.BlobsPath);
            opened.Add(blobs);
            var serials = new LazyTsaSerials(data, folder.KeysPath);
            if (ledgerOnly)
            {
                return new FilesDriver(folder, log, indexFile, index, blobs, serials, null, null, null, null, null);
            }

            var timestamps = Damage.Open(
                data,
                "log/" + FileTimestampStore.IndexFile,
                ["log/" + FileTimestampStore.IndexFile, "log/" + FileTimestampStore.RecordsFile],
                () => new FileTimestampStore(folder.LogPath));
            opened.Add(timestamps);
            var apiKeys = Damage.Open(data, "node.db", [], () => new ApiKeyStore(folder.StatePath));
            opened.Add(apiKeys);
            var cases = Damage.Open(data, LiteDbCaseStore.FileName, [], () => new LiteDbCaseStore(folder));
            opened.Add(cases);
            var jobs = Damage.Open(data, LiteDbJobStore.FileName, [], () => new LiteDbJobStore(folder));
            opened.Add(jobs);
            var searchLog = loggers.CreateLogger<FilesDriver>();
            var search = LiteDbSearchStore.OpenOrRecreate(folder, reason => StorageLog.SearchStoreRebuilt(searchLog, LiteDbSearchStore.FileName, reason));
            return new FilesDriver(folder, log, indexFile, index, blobs, serials, timestamps, cases, search, apiKeys, jobs);
        }
        catch
        {
            for (var i = opened.Count - 1; i >= 0; i--)
            {
                opened[i].Dispose();
            }

            folder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Names the damaged file when <paramref name="exception"/>, thrown while the ledger opened over this driver's ports,
    /// is damage of the data folder (an inconsistent log, a damaged index or checkpoint): a
    /// <see cref="DataFolderDamagedException"/>; otherwise null.
    /// </summary>
    public Exception? Diagnose(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Damage.Name(exception, Folder.Path, exception is LedgerCorruptException ? "log" : null, Damage.LedgerFiles);
    }

    private static InvalidOperationException LedgerOnly() =>
        new("This data folder was opened for its ledger only (FileLedger); the node's stores are not open.");

    /// <summary>Moves whatever the index buffer holds into the index file now.</summary>
    internal void FlushIndex() => _index.Flush();

    /// <summary>Drains the index and the blob packs, closes every file and releases the folder.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        _timestamps?.Dispose();
        _search?.Dispose();
        _cases?.Dispose();
        _apiKeys?.Dispose();
        _jobs?.Dispose();
        FileBlobs.Dispose();
        _index.Dispose();
        _indexFile.Dispose();
        Folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
