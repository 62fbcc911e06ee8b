using EvidenceChain.Storage.Postgres;
using EvidenceChain.Storage.Postgres.Internal;

namespace EvidenceChain.Storage.Contract.Tests.Internal;

/// <summary>Reads a server setting as the driver's own connections see it.</summary>
internal static class PostgresDatabaseProbe
{
    public static async Task<string?> SettingAsync(PostgresOptions options, string setting)
    {
        await using var database = await PostgresDatabase.OpenAsync(options, CancellationToken.None);
        await using var command = database.Source.CreateCommand("SELECT current_setting($1)");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = setting });
        return await command.ExecuteScalarAsync() as string;
    }
}
