using EvidenceChain.Ledger;
using EvidenceChain.Core.Notes;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Storage;

/// <summary>
/// A ledger opened on a data folder: the folder lock, the tile store, the LiteDB index, the blob store, the log
/// key and the running <see cref="EvidenceLedger"/>, disposed together in the right order.
/// </summary>
public sealed class FileLedger : IAsyncDisposable
{
    private readonly Internal.BufferedEntryIndex _buffered;

    private FileLedger(
        DataFolder folder, LiteDbEntryIndex index, Internal.BufferedEntryIndex buffered, FileBlobStore blobs, EvidenceLedger ledger, NoteVerifier? sm2Key)
    {
        _buffered = buffered;
        Sm2VerifierKey = sm2Key;
        Folder = folder;
        Index = index;
        Blobs = blobs;
        Ledger = ledger;
        Openings = new FileOpeningStore(folder.OpeningsPath);
    }

    /// <summary>The data folder (locked while this is open).</summary>
    public DataFolder Folder { get; }

    /// <summary>The look-up index file; entries reach it in the background, a fraction of a second after they are acknowledged.</summary>
    public LiteDbEntryIndex Index { get; }

    /// <summary>Artefact storage.</summary>
    public FileBlobStore Blobs { get; }

    /// <summary>The openings of committed fields (<c>openings/</c>).</summary>
    public FileOpeningStore Openings { get; }

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
        var folder = DataFolder.Open(path, create: true);
        LiteDbEntryIndex? index = null;
        Internal.BufferedEntryIndex? buffered = null;
        FileBlobStore? blobs = null;
        try
        {
            var published = File.Exists(Path.Combine(folder.LogPath, "checkpoint"));
            if (published && !File.Exists(Path.Combine(folder.KeysPath, LogKeyFiles.PrivateKeyFile)))
            {
                // A new key could never sign a checkpoint consistent with the old ones: refuse, and write nothing.
                throw new LedgerCorruptException(
                    $"The log's key {Path.Combine(folder.KeysPath, LogKeyFiles.PrivateKeyFile)} is missing but the log has published checkpoints; restore the key from a backup.");
            }

            var signer = LogKeyFiles.LoadOrCreate(folder.KeysPath, origin);
            CheckVerifierKeyFile(folder, signer);
            var sm2Signer = nationalCrypto ? LogKeyFiles.LoadOrCreateSm2(folder.KeysPath, signer) : null;
            var store = new FileLedgerStore(folder.LogPath);
            store.RepairHistory();
            if (rebuildIndex)
            {
                LiteDbEntryIndex.Delete(folder.IndexPath);
            }

            index = new LiteDbEntryIndex(folder.IndexPath);
            buffered = new Internal.BufferedEntryIndex(index);
            blobs = new FileBlobStore(folder.BlobsPath);
            var ledger = await EvidenceLedger.OpenAsync(
                store, buffered, signer, sm2Signer, options, time, loggers.CreateLogger<EvidenceLedger>(), cancellationToken);
            buffered.Flush(); // whatever opening indexed (a catch-up or a rebuild) is in the index file when this returns
            return new FileLedger(folder, index, buffered, blobs, ledger, sm2Signer?.VerifierKey);
        }
        catch
        {
            blobs?.Dispose();
            buffered?.Dispose();
            index?.Dispose();
            folder.Dispose();
            throw;
        }
    }

    // keys/log.vkey is what receipts carry and verifiers pin: a damaged copy must stop the node, not be served. A
    // missing one (a first start killed between writing log.key and log.vkey) is derived again from log.key.
    private static void CheckVerifierKeyFile(DataFolder folder, NoteSigner signer)
    {
        var path = Path.Combine(folder.KeysPath, LogKeyFiles.VerifierKeyFile);
        var expected = signer.VerifierKey + "\n";
        if (!File.Exists(path))
        {
            var temp = path + ".tmp";
            File.WriteAllText(temp, expected);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            File.Move(temp, path);
            Internal.Durable.SyncDirectory(folder.KeysPath);
        }
        else if (File.ReadAllText(path, System.Text.Encoding.UTF8) != expected)
        {
            throw new DataFolderDamagedException(
                folder.Path,
                "keys/" + LogKeyFiles.VerifierKeyFile,
                new InvalidDataException($"it does not hold {LogKeyFiles.PrivateKeyFile}'s verifier key {signer.VerifierKey}"));
        }
    }

    /// <summary>Drains the sequencer and the blob packs, checkpoints the index and releases the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await Ledger.DisposeAsync();
        Blobs.Dispose();
        _buffered.Dispose();
        Index.Dispose();
        Folder.Dispose();
    }
}
