namespace EvidenceChain.Node;

/// <summary>
/// Where the node keeps its data (section <c>Storage</c>): the storage driver and its settings. Key material is not
/// here: it stays in files in <c>keys/</c> of the data folder (<c>Data</c>) for every driver.
/// </summary>
internal sealed class StorageOptions
{
    /// <summary>
    /// The storage driver: <c>files</c> (the default: everything in the data folder) or <c>postgres</c> (a PostgreSQL
    /// database, <see cref="Postgres"/>; the data folder then holds the keys, and the witness state when the node
    /// witnesses other logs).
    /// </summary>
    public string Driver { get; set; } = "files";

    /// <summary>The Npgsql connection string for the <c>postgres</c> driver. A secret: never logged.</summary>
    public string? Postgres { get; set; }

    /// <summary>
    /// The PostgreSQL schema that holds this log's tables (<c>Storage:PostgresSchema</c>); the connection's default
    /// when not set. One schema per log, so several logs can share a database.
    /// </summary>
    public string? PostgresSchema { get; set; }
}
