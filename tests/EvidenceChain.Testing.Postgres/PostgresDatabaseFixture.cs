using EvidenceChain.Storage.Postgres;

namespace EvidenceChain.Testing.Postgres;

/// <summary>A throw-away database for one test class (each test then takes a schema of its own in it).</summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private string? _connectionString;

    /// <summary>The database's connection string.</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The database is not created yet.");

    /// <summary>Options for a new, empty schema in the database.</summary>
    public PostgresOptions NewSchema() => new() { ConnectionString = ConnectionString, Schema = "t_" + Guid.NewGuid().ToString("N")[..16] };

    public async Task InitializeAsync()
    {
        if (PostgresServer.SkipReason is null)
        {
            _connectionString = await PostgresServer.CreateDatabaseAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_connectionString is not null)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }
    }
}
