using System.Security.Cryptography;
using System.Text;

namespace EvidenceChain.Testing.Postgres;

/// <summary>
/// The database the nodes of one test run share on <see cref="PostgresServer"/>, each node's log in a schema of its
/// own. The schema follows from the node's data folder, so a node restarted on the same folder finds its log again
/// and two nodes on two folders never see each other's.
/// </summary>
public static class PostgresNodeDatabase
{
    private static readonly Lazy<Task<string>> Database = new(CreateAsync);

    /// <summary>The shared database's connection string, the database created on first use.</summary>
    public static Task<string> ConnectionStringAsync() => Database.Value;

    /// <summary>The schema of the node whose data folder is <paramref name="dataPath"/>.</summary>
    public static string SchemaFor(string dataPath)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataPath)));
        return "n_" + Convert.ToHexStringLower(hash)[..24];
    }

    private static async Task<string> CreateAsync()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        // The throw-away cluster goes with the process; a server the environment names keeps what is not dropped.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PostgresServer.EnvironmentVariable)))
        {
            return connectionString;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                PostgresServer.DropDatabaseAsync(connectionString).Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
                // The server may already be gone; nothing is left to drop then.
            }
        };
        return connectionString;
    }
}
