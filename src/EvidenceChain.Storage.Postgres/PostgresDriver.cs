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
    private readonly TaskCompletionSource _sequencing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private int _disposeStarted;
    private readonly PostgresHandoff? _handoff;
    private volatile SequencerLease? _lease;
    private readonly Task _standby = Task.CompletedTask;

    private PostgresDriver(
        PostgresDatabase database, SequencerLease? lease, PostgresOptions options, string location, TimeProvider time, PostgresTimestampStore timestamps, PostgresCosignatureStore cosignatures)
    {
        _database = database;
        _lease = lease;
        if (lease is not null)
        {
            _sequencing.TrySetResult();
        }

        Location = location;
        Log = new PostgresLedgerStore(database, () => _lease);
        if (options.Shared)
        {
            _handoff = new PostgresHandoff(database, () => _lease, _sequencing.Task, time);
            if (lease is null)
            {
                _standby = Task.Run(() => StandbyAsync(options.LeaseRetry), CancellationToken.None);
            }
        }

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
    public ISequencerHandoff? Handoff => _handoff;

    /// <summary>True while this process holds the log's sequencer lease.</summary>
    public bool IsSequencer => _lease is not null;

    /// <summary>The fencing token of this process's sequencer lease (each new sequencer of the log has a larger one); 0 for a front-end.</summary>
    public long FencingToken => _lease?.Token ?? 0;

    /// <inheritdoc/>
    public ICaptureJobStore Jobs { get; }

    /// <inheritdoc/>
    public IWatchStore Watches { get; }

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
            lease = options.Shared
                ? await SequencerLease.TryAcquireAsync(database, Holder, cancellationToken)
                : await SequencerLease.AcquireAsync(database, Holder, options.WaitForSequencer, cancellationToken);
            var timestamps = await PostgresTimestampStore.OpenAsync(database, cancellationToken);
            var cosignatures = await PostgresCosignatureStore.OpenAsync(database, cancellationToken);
            var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            var location = $"postgres {builder.Host}:{builder.Port}/{builder.Database}, schema {database.SchemaName}";
            return new PostgresDriver(database, lease, options, location, time, timestamps, cosignatures);
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

    private static string Holder => $"{Environment.MachineName} pid {Environment.ProcessId}";

    /// <summary>Ends the lease's connection without releasing it (tests: a sequencer that died).</summary>
    internal Task AbandonLeaseAsync() => _lease?.AbandonAsync() ?? Task.CompletedTask;

    /// <summary>Releases the sequencer lease and closes the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeStarted, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await _standby;
        if (_handoff is not null)
        {
            await _handoff.DisposeAsync();
        }

        if (_lease is { } lease)
        {
            await lease.DisposeAsync();
        }

        await _database.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>A front-end of a shared log: tries the lease until it has it (the sequencer stopped or died).</summary>
    private async Task StandbyAsync(TimeSpan retry)
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(retry, stop);
                if (await SequencerLease.TryAcquireAsync(_database, Holder, stop) is { } lease)
                {
                    await ((PostgresTimestampStore)Timestamps).RefreshAsync(stop);
                    await ((PostgresCosignatureStore)Cosignatures).RefreshAsync(stop);
                    _lease = lease;
                    _sequencing.TrySetResult();
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException)
            {
                // The database is unreachable for now; try again.
            }
        }
    }
}
