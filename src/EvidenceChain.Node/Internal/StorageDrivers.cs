using EvidenceChain.Ledger;
using EvidenceChain.Storage;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// Opens the storage driver the settings name (<c>Storage:Driver</c>): the one place that knows the drivers. Everything
/// else sees <see cref="IStorageDriver"/> and its ports.
/// </summary>
internal static class StorageDrivers
{
    /// <summary>The driver names settings may use.</summary>
    public static readonly string[] Names = [FilesDriver.DriverName, "postgres"];

    /// <summary>Checks the settings without opening anything, so that a wrong one stops the start with one line.</summary>
    /// <exception cref="ArgumentException">An unknown driver, or the postgres driver without a connection string.</exception>
    public static void Validate(StorageOptions options)
    {
        if (!Names.Contains(options.Driver, StringComparer.Ordinal))
        {
            var name = options.Driver is { Length: <= 40 } d && d.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? $"\"{d}\"" : "(not a driver name)";
            throw new ArgumentException($"Storage:Driver must be one of {string.Join(", ", Names)}; got {name}.");
        }

        if (options.Driver == "postgres" && string.IsNullOrWhiteSpace(options.Postgres))
        {
            throw new ArgumentException("Storage:Postgres must be set with Storage:Driver postgres: an Npgsql connection string.");
        }
    }

    /// <summary>Opens the driver the settings name, ready to use.</summary>
    /// <param name="options">The Storage settings (checked by <see cref="Validate"/>).</param>
    /// <param name="dataPath">The data folder's full path (the files driver's folder; keys are in its <c>keys/</c> for every driver).</param>
    /// <param name="loggers">The host's logging.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="ArgumentException">The settings name a driver this build does not have.</exception>
    public static Task<IStorageDriver> OpenAsync(StorageOptions options, string dataPath, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        Validate(options);
        cancellationToken.ThrowIfCancellationRequested();
        return options.Driver switch
        {
            FilesDriver.DriverName => Task.FromResult<IStorageDriver>(FilesDriver.Open(dataPath, loggers)),
            // The coordinator wires EvidenceChain.Storage.Postgres in here: PostgresDriver.OpenAsync(options.Postgres!, ...).
            _ => throw new ArgumentException($"Storage:Driver {options.Driver}: the {options.Driver} driver is not part of this build."),
        };
    }
}
