namespace EvidenceChain.Storage.Postgres;

/// <summary>Where a log lives on PostgreSQL (settings <c>Storage:Postgres</c> and <c>Storage:PostgresSchema</c>).</summary>
public sealed class PostgresOptions
{
    /// <summary>
    /// An Npgsql connection string (<c>Host=...;Database=...;Username=...</c>; a password is better given by a
    /// <c>.pgpass</c> file or <c>PGPASSWORD</c> than in settings). Required. Whatever it says about
    /// <c>synchronous_commit</c>, every connection commits synchronously.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// The schema that holds the log's tables, created when missing; one database can hold several logs, one per
    /// schema. Default null: the connection string's <c>Search Path</c>, or else the server's default (<c>public</c>).
    /// </summary>
    public string? Schema { get; set; }

    /// <summary>
    /// When another process sequences the log: false (the default) to fail at once with
    /// <see cref="SequencerBusyException"/>, true to wait until its lease ends (a standby that takes over when the
    /// sequencer stops or dies).
    /// </summary>
    public bool WaitForSequencer { get; set; }

    /// <summary>
    /// Several processes share the log (front-ends): when another process sequences it, this one opens anyway as a
    /// front-end (<see cref="PostgresDriver.Handoff"/>: its appends go to the sequencer through the database), keeps
    /// trying the lease and takes sequencing over when the sequencer stops or dies. Default false: one process per
    /// log, as <see cref="WaitForSequencer"/> says. The node sets it.
    /// </summary>
    public bool Shared { get; set; }

    /// <summary>How often a front-end of a shared log tries the sequencer lease. Default 250 ms.</summary>
    public TimeSpan LeaseRetry { get; set; } = TimeSpan.FromMilliseconds(250);
}
