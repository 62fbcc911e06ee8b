using EvidenceChain.Ledger;
using EvidenceChain.Ledger.Cases;
using EvidenceChain.Ledger.Jobs;
using EvidenceChain.Ledger.Search;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Ledger.Witnessing;
using EvidenceChain.Storage.Postgres.Internal;
using Npgsql;

namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// The <c>postgres</c> storage driver: every port in one PostgreSQL schema (docs/formats.md, "PostgreSQL layout"),
/// created or migrated on open. The process that opens it sequences the log: it holds the log's sequencer lease
/// (an advisory lock and a fencing token) until disposed, and every write to tiles and checkpoints checks the token.
/// Key material stays in files (the node's keys folder), never in the database.
/// </summary>
/// <remarks>Thread-safe, as each port documents. Dispose after the ledger and everything else using the ports have stopped.</remarks>
public sealed class PostgresDriver : IStorageDriver
{
    private readonly PostgresDatabase _database;
    private readonly SequencerLease _lease;

    private PostgresDriver(
        PostgresDatabase database, SequencerLease lease, string location, TimeProvider time, PostgresTimestampStore timestamps, PostgresCosignatureStore cosignatures)
    {
        _database = database;
        _lease = lease;
        Location = location;
        Log = new PostgresLedgerStore(database, lease);
        Blobs = new PostgresBlobStore(database);
        Index = new PostgresEntryIndex(database);
        Openings = new PostgresOpeningStore(database);
        TsaSerials = new PostgresTsaSerials(database);
        Cases = new PostgresCaseStore(database);
        Search = new PostgresSearchStore(database);
        ApiKeys = new PostgresApiKeyStore(database, time);
        var jobs = new PostgresJobStore(database);
        Jobs = jobs;
        Watches = jobs;
        Timestamps = timestamps;
        Cosignatures = cosignatures;
    }

    /// <summary>The driver's name in settings (<c>Storage:Driver</c>).</summary>
    public const string DriverName = "postgres";

    /// <inheritdoc/>
    public string Name => DriverName;

    /// <inheritdoc/>
    public string Location { get; }

    /// <inheritdoc/>
    public ILedgerStore Log { get; }

    /// <inheritdoc/>
    public IBlobStore Blobs { get; }

    /// <inheritdoc/>
    public IEntryIndex Index { get; }

    /// <inheritdoc/>
    public IOpeningStore Openings { get; }

    /// <inheritdoc/>
    public ITimestampStore Timestamps { get; }

    /// <inheritdoc/>
    public ITsaSerialNumbers TsaSerials { get; }

    /// <inheritdoc/>
    public ICosignatureStore Cosignatures { get; }

    /// <inheritdoc/>
    public ICaseStore Cases { get; }

    /// <inheritdoc/>
    public ISearchStore Search { get; }

    /// <inheritdoc/>
    public IApiKeyStore ApiKeys { get; }

    /// <inheritdoc/>
    public ICaptureJobStore Jobs { get; }

    /// <inheritdoc/>
    public IWatchStore Watches { get; }

    /// <summary>The fencing token of this process's sequencer lease (each new sequencer of the log has a larger one).</summary>
    public long FencingToken => _lease.Token;

    /// <summary>
    /// Connects, creates or migrates the schema and takes the log's sequencer lease (waiting for it with
    /// <see cref="PostgresOptions.WaitForSequencer"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The connection string or schema name is malformed.</exception>
    /// <exception cref="SequencerBusyException">Another process sequences the log.</exception>
    /// <exception cref="NotSupportedException">The schema was written by a newer version.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached or refused the connection.</exception>
    public static async Task<PostgresDriver> OpenAsync(PostgresOptions options, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var database = await PostgresDatabase.OpenAsync(options, cancellationToken);
        SequencerLease? lease = null;
        try
        {
            var holder = $"{Environment.MachineName} pid {Environment.ProcessId}";
            lease = await SequencerLease.AcquireAsync(database, holder, options.WaitForSequencer, cancellationToken);
            var timestamps = await PostgresTimestampStore.OpenAsync(database, cancellationToken);
            var cosignatures = await PostgresCosignatureStore.OpenAsync(database, cancellationToken);
            var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            var location = $"postgres {builder.Host}:{builder.Port}/{builder.Database}, schema {database.SchemaName}";
            return new PostgresDriver(database, lease, location, time, timestamps, cosignatures);
        }
        catch
        {
            if (lease is not null)
            {
                await lease.DisposeAsync();
            }

            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Ends the lease's connection without releasing it (tests: a sequencer that died).</summary>
    internal Task AbandonLeaseAsync() => _lease.AbandonAsync();

    /// <summary>Releases the sequencer lease and closes the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await _lease.DisposeAsync();
        await _database.DisposeAsync();
    }
}
