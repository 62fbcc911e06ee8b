using EvidenceChain.Ledger;
using System.Data.Common;
using EvidenceChain.Storage;
using EvidenceChain.Storage.Postgres;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// Opens the storage driver the settings name (<c>Storage:Driver</c>): the one place that knows the drivers. Everything
/// else sees <see cref="IStorageDriver"/> and its ports.
/// </summary>
internal static class StorageDrivers
{
    /// <summary>The driver names settings may use.</summary>
    public static readonly string[] Names = [FilesDriver.DriverName, PostgresDriver.DriverName];

    /// <summary>Checks the settings without opening anything, so that a wrong one stops the start with one line.</summary>
    /// <exception cref="ArgumentException">An unknown driver, or the postgres driver without a connection string.</exception>
    public static void Validate(StorageOptions options)
    {
        if (!Names.Contains(options.Driver, StringComparer.Ordinal))
        {
            var name = options.Driver is { Length: <= 40 } d && d.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? $"\"{d}\"" : "(not a driver name)";
            throw new ArgumentException($"Storage:Driver must be one of {string.Join(", ", Names)}; got {name}.");
        }

        if (options.Driver == PostgresDriver.DriverName && string.IsNullOrWhiteSpace(options.Postgres))
        {
            throw new ArgumentException("Storage:Postgres must be set with Storage:Driver postgres: an Npgsql connection string.");
        }
    }

    /// <summary>Opens the driver the settings name, ready to use.</summary>
    /// <param name="options">The Storage settings (checked by <see cref="Validate"/>).</param>
    /// <param name="dataPath">The data folder's full path (the files driver's folder; keys are in its <c>keys/</c> for every driver).</param>
    /// <param name="time">The node's clock.</param>
    /// <param name="loggers">The host's logging.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="ArgumentException">The settings name a driver this build does not have.</exception>
    /// <exception cref="IOException">The database cannot be reached or refused the connection.</exception>
    public static async Task<IStorageDriver> OpenAsync(
        StorageOptions options, string dataPath, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        Validate(options);
        cancellationToken.ThrowIfCancellationRequested();
        switch (options.Driver)
        {
            case FilesDriver.DriverName:
                return FilesDriver.Open(dataPath, loggers);
            case PostgresDriver.DriverName:
                try
                {
                    return await PostgresDriver.OpenAsync(
                        new PostgresOptions { ConnectionString = options.Postgres!, Schema = options.PostgresSchema, Shared = true }, time, cancellationToken);
                }
                catch (DbException e)
                {
                    // The driver's message names the server and the failure, never the connection string (it holds the password).
                    throw new IOException($"Storage:Postgres: the database cannot be opened: {e.Message}", e);
                }

            default:
                throw new ArgumentException($"Storage:Driver {options.Driver}: the {options.Driver} driver is not part of this build.");
        }
    }
}
