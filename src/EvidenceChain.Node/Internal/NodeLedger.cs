using EvidenceChain.Core.Notes;
using EvidenceChain.Ledger;
using EvidenceChain.Storage;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// The node's ledger: the storage driver the settings name, the log's keys (files in the data folder's <c>keys/</c>,
/// whatever the driver) and the <see cref="EvidenceLedger"/> over the driver's ports, disposed together in order.
/// </summary>
internal sealed class NodeLedger : IAsyncDisposable
{
    /// <summary>The key files opening reads, most specific first (matched against the exception's message).</summary>
    private static readonly string[] KeyFiles =
    [
        "keys/" + LogKeyFiles.Sm2PublicKeyPemFile, "keys/" + LogKeyFiles.Sm2VerifierKeyFile, "keys/" + LogKeyFiles.Sm2PrivateKeyFile,
        "keys/" + LogKeyFiles.VerifierKeyFile, "keys/" + LogKeyFiles.PrivateKeyFile,
    ];

    private NodeLedger(string dataPath, IStorageDriver driver, EvidenceLedger ledger, NoteVerifier? sm2Key)
    {
        DataPath = dataPath;
        Driver = driver;
        Ledger = ledger;
        Sm2VerifierKey = sm2Key;
    }

    /// <summary>The data folder's full path.</summary>
    public string DataPath { get; }

    /// <summary>The key files (0600), in the data folder for every driver: a database never holds a signing key.</summary>
    public string KeysPath => Path.Combine(DataPath, "keys");

    /// <summary>The storage driver.</summary>
    public IStorageDriver Driver { get; }

    /// <summary>The running ledger.</summary>
    public EvidenceLedger Ledger { get; }

    /// <summary>The log's SM2 verifier key under the national crypto profile; otherwise null.</summary>
    public NoteVerifier? Sm2VerifierKey { get; }

    /// <summary>Opens the driver, loads (creating when needed) the log's keys and opens the ledger over the driver's ports.</summary>
    /// <exception cref="DataFolderDamagedException">A key file or a stored file cannot be used as it is; the message names it.</exception>
    /// <exception cref="LedgerCorruptException">The stored ledger is inconsistent.</exception>
    public static async Task<NodeLedger> OpenAsync(
        StorageOptions storage,
        string dataPath,
        string? origin,
        bool nationalCrypto,
        LedgerOptions options,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var driver = await StorageDrivers.OpenAsync(storage, dataPath, time, loggers, cancellationToken);
        try
        {
            var keysPath = Path.Combine(dataPath, "keys");
            var frontEnd = driver.Handoff is { Sequencing.IsCompleted: false };
            var published = await driver.Log.ReadCheckpointAsync(cancellationToken) is not null;
            if (frontEnd && !published)
            {
                // The sequencer is creating the log: its keys are the log's; a front-end never makes keys of its own.
                published = await WaitForFirstCheckpointAsync(driver, cancellationToken);
            }

            if (frontEnd && !File.Exists(Path.Combine(keysPath, LogKeyFiles.PrivateKeyFile)))
            {
                throw new DataFolderDamagedException(
                    $"Another process sequences the log in {driver.Location}, and this process has no log key: every process on one log must use the same keys folder (copy or mount it at {keysPath}).");
            }

            var (signer, sm2Signer) = DataFolderDamage.Open(
                dataPath, null, KeyFiles, () => LogKeyFiles.LoadForLog(keysPath, origin, published, nationalCrypto));
            var ledger = await EvidenceLedger.OpenAsync(
                driver.Log, driver.Index, signer, sm2Signer, driver.Handoff, options, time, loggers.CreateLogger<EvidenceLedger>(), cancellationToken);
            return new NodeLedger(dataPath, driver, ledger, sm2Signer?.VerifierKey);
        }
        catch (Exception e)
        {
            await driver.DisposeAsync();
            if (driver.Diagnose(e) is { } damaged)
            {
                throw damaged;
            }

            throw;
        }
    }

    private static async Task<bool> WaitForFirstCheckpointAsync(IStorageDriver driver, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 120; i++)
        {
            await driver.Handoff!.WaitForPublishAsync(cancellationToken);
            if (await driver.Log.ReadCheckpointAsync(cancellationToken) is not null)
            {
                return true;
            }
        }

        throw new IOException($"Another process sequences the log in {driver.Location} but has published no checkpoint; start it first.");
    }

    /// <summary>Runs a step that reads the driver's stores; damage it meets is rethrown as the driver names it.</summary>
    public async Task<T> DiagnoseAsync<T>(Func<Task<T>> open)
    {
        try
        {
            return await open();
        }
        catch (Exception e) when (Driver.Diagnose(e) is { } damaged)
        {
            throw damaged;
        }
    }

    /// <summary>Drains the sequencer, then closes the driver.</summary>
    public async ValueTask DisposeAsync()
    {
        await Ledger.DisposeAsync();
        await Driver.DisposeAsync();
    }
}
