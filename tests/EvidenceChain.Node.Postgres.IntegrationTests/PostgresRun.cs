using EvidenceChain.Testing.Node;

[assembly: TestFramework(PostgresRunFramework.TypeName, PostgresRunFramework.AssemblyName)]

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>This run's nodes are on the postgres driver.</summary>
public sealed class PostgresRunTests
{
    [Fact]
    public async Task EveryNodeOfThisRun_RunsThePostgresDriver()
    {
        await using var node = await TestNode.StartAsync();

        var line = Assert.Single(node.Logs.Records, r => r.EventId == 100);
        Assert.StartsWith("Storage: the postgres driver", line.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(node.DataPath, "node.db")));
    }
}
