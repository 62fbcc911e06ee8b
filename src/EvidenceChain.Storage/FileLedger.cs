using EvidenceChain.Ledger;
using EvidenceChain.Core.Notes;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Storage;

/// <summary>
/// A ledger on a data folder for the command line's data commands (reindex, audit preparation), tests and benchmarks:
/// the <see cref="FilesDriver"/>, the log's keys in <c>keys/</c> and an <see cref="EvidenceLedger"/> over the driver's
/// ports, disposed together in the right order. The node composes the same parts itself, over whichever driver its
/// settings name.
/// </summary>
public sealed class FileLedger : IAsyncDisposable
{
    private readonly FilesDriver _driver;

    private FileLedger(FilesDriver driver, EvidenceLedger ledger, NoteVerifier? sm2Key)
    {
        _driver = driver;
        Sm2VerifierKey = sm2Key;
        Ledger = ledger;
    }

    /// <summary>The data folder (locked while this is open).</summary>
    public DataFolder Folder => _driver.Folder;

    /// <summary>The driver the ledger runs on.</summary>
    public FilesDriver Driver => _driver;

    /// <summary>The look-up index file; entries reach it in the background, a fraction of a second after they are acknowledged.</summary>
    public LiteDbEntryIndex Index => _driver.IndexFile;

    /// <summary>Artefact storage.</summary>
    public FileBlobStore Blobs => _driver.FileBlobs;

    /// <summary>The openings of committed fields (<c>openings/</c>).</summary>
    public FileOpeningStore Openings => _driver.FileOpenings;

    /// <summary>The running ledger.</summary>
    public EvidenceLedger Ledger { get; }

    /// <summary>
    /// The log's SM2 verifier key when the ledger was opened with the national crypto profile (also in
    /// <c>keys/log-sm2.vkey</c> and <c>keys/log-sm2.pub.pem</c>); otherwise null.
    /// </summary>
    public NoteVerifier? Sm2VerifierKey { get; }

    /// <summary>
    /// Opens (creating when needed) the ledger in <paramref name="path"/>. With a null <paramref name="origin"/> an
    /// existing log keeps its origin and a new one gets a generated unique origin. With <paramref name="rebuildIndex"/>
    /// the index file is deleted and rebuilt from the ledger files.
    /// </summary>
    /// <exception cref="DataFolderLockedException">Another process holds the folder.</exception>
    /// <exception cref="LedgerCorruptException">The stored ledger is inconsistent; run <c>evidencectl audit</c>.</exception>
    public static Task<FileLedger> OpenAsync(
        string path,
        string? origin,
        LedgerOptions options,
        TimeProvider time,
        ILoggerFactory loggers,
        bool rebuildIndex = false,
        CancellationToken cancellationToken = default) =>
        OpenAsync(path, origin, nationalCrypto: false, options, time, loggers, rebuildIndex, cancellationToken);

    /// <summary>
    /// Opens the ledger as the other overload does; with <paramref name="nationalCrypto"/> it also loads (creating
    /// when needed) the log's SM2 key in <c>keys/</c> (<see cref="LogKeyFiles.Sm2PrivateKeyFile"/> and its public
    /// files) and signs every new checkpoint with it as a second line (docs/formats.md §6a). The profile can be turned
    /// on and off for an existing log: older checkpoints keep the lines they were signed with.
    /// </summary>
    /// <exception cref="DataFolderLockedException">Another process holds the folder.</exception>
    /// <exception cref="LedgerCorruptException">The stored ledger is inconsistent; run <c>evidencectl audit</c>.</exception>
    /// <exception cref="InvalidDataException">A key file is malformed or does not belong to this log.</exception>
    public static async Task<FileLedger> OpenAsync(
        string path,
        string? origin,
        bool nationalCrypto,
        LedgerOptions options,
        TimeProvider time,
        ILoggerFactory loggers,
        bool rebuildIndex = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var driver = FilesDriver.Open(path, loggers, rebuildIndex, ledgerOnly: true);
        try
        {
            var published = await driver.Log.ReadCheckpointAsync(cancellationToken) is not null;
            var (signer, sm2Signer) = LogKeyFiles.LoadForLog(driver.Folder.KeysPath, origin, published, nationalCrypto);
            var ledger = await EvidenceLedger.OpenAsync(
                driver.Log, driver.Index, signer, sm2Signer, options, time, loggers.CreateLogger<EvidenceLedger>(), cancellationToken);
            driver.FlushIndex(); // whatever opening indexed (a catch-up or a rebuild) is in the index file when this returns
            return new FileLedger(driver, ledger, sm2Signer?.VerifierKey);
        }
        catch
        {
            await driver.DisposeAsync();
            throw;
        }
    }

    /// <summary>Drains the sequencer, then closes the driver (the blob packs, the index, every file) and releases the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await Ledger.DisposeAsync();
        await _driver.DisposeAsync();
    }
}
