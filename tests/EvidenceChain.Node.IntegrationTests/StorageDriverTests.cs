using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>The node composes the storage driver that <c>Storage:Driver</c> names; a wrong setting stops the start with one line.</summary>
[FilesDriverOnly("names its own Storage settings")]
public sealed class StorageDriverTests
{
    [Fact]
    public async Task FilesDriverNamed_StartsOnTheDataFolderAndLogsWhichDriverRuns()
    {
        await using var node = await TestNode.StartAsync(null, "--Storage:Driver", "files");

        Assert.True(File.Exists(Path.Combine(node.DataPath, "log", "checkpoint")));
        Assert.True(File.Exists(Path.Combine(node.DataPath, "node.db")));
        var line = Assert.Single(node.Logs.Records, r => r.EventId == 100);
        Assert.Equal($"Storage: the files driver at {node.DataPath}; keys in {Path.Combine(node.DataPath, "keys")}", line.Message);
    }

    [Fact]
    public async Task UnknownDriver_DoesNotStart_OneLineNamingTheSetting()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("data");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestNode.StartAsync(data, "--Storage:Driver", "mysql"));

        Assert.Contains("Storage:Driver must be one of files, postgres; got \"mysql\".", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data)); // refused before anything was opened or created
    }

    [Fact]
    public async Task PostgresWithoutConnectionString_DoesNotStart()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestNode.StartAsync(null, "--Storage:Driver", "postgres"));

        Assert.Contains("Storage:Postgres must be set with Storage:Driver postgres", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgresConnectionString_NeverInTheStartErrorOrTheLog()
    {
        const string Secret = "s3cret-pw-never-logged";
        // Port 1: nothing listens there, so a postgres driver wired into this build fails to connect, as one without it refuses.
        var e = await Assert.ThrowsAnyAsync<Exception>(
            () => TestNode.StartAsync(null, "--Storage:Driver", "postgres", "--Storage:Postgres", $"Host=127.0.0.1;Port=1;Username=ec;Password={Secret};Timeout=2"));

        Assert.DoesNotContain(Secret, e.ToString(), StringComparison.Ordinal);
    }
}
