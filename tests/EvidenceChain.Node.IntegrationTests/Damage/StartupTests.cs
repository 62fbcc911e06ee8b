using EvidenceChain.Storage;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;

namespace EvidenceChain.Node.IntegrationTests.Damage;

/// <summary>A node on a folder with a damaged file refuses to start with one line naming the file, never a crash.</summary>
[FilesDriverOnly("damages the data folder's files")]
public sealed class StartupTests(NodeFolderFixture folder) : IClassFixture<NodeFolderFixture>
{
    public enum Damage
    {
        FlipMiddle,
        Truncate,
    }

    [Theory]
    [InlineData("keys/tsa.key", Damage.FlipMiddle)]
    [InlineData("keys/tsa.key", Damage.Truncate)]
    [InlineData("keys/tsa.pem", Damage.FlipMiddle)]
    [InlineData("keys/tsa.pem", Damage.Truncate)]
    [InlineData("keys/tsa-ca.pem", Damage.FlipMiddle)]
    [InlineData("keys/tsa-ca.pem", Damage.Truncate)]
    [InlineData("keys/tsa.serial", Damage.FlipMiddle)]
    [InlineData("keys/tsa.serial", Damage.Truncate)]
    [InlineData("keys/log.key", Damage.FlipMiddle)]
    [InlineData("keys/log.key", Damage.Truncate)]
    [InlineData("keys/log.vkey", Damage.FlipMiddle)]
    [InlineData("keys/log.vkey", Damage.Truncate)]
    [InlineData("node.db", Damage.Truncate)]
    [InlineData("log/timestamps.idx", Damage.FlipMiddle)]
    [InlineData("log/checkpoint", Damage.FlipMiddle)]
    [InlineData("log/checkpoint", Damage.Truncate)]
    public async Task Start_DamagedFile_OneLineNamingTheFileAndTheAudit(string file, Damage damage)
    {
        using var temp = new TempFolder();
        var data = folder.Copy(temp);
        var path = Path.Combine(data, file);
        var bytes = await File.ReadAllBytesAsync(path);
        if (damage == Damage.Truncate)
        {
            bytes = bytes[..(file.EndsWith(".serial", StringComparison.Ordinal) ? 0 : bytes.Length / 2)];
        }
        else if (file.EndsWith(".serial", StringComparison.Ordinal))
        {
            bytes[0] ^= 0x40; // the digit, not the newline (a whitespace change is harmless: the number is the same)
        }
        else if (file.EndsWith(".idx", StringComparison.Ordinal))
        {
            bytes[24 + 13] ^= 0x01; // the second entry's offset: entries need not be in the middle to matter
        }
        else
        {
            bytes[bytes.Length / 2] ^= 0x01;
        }

        await File.WriteAllBytesAsync(path, bytes);

        var started = await Assert.ThrowsAsync<InvalidOperationException>(() => TestNode.StartAsync(data));

        var damaged = Assert.IsType<DataFolderDamagedException>(started.InnerException);
        Assert.Equal(file, damaged.File);
        Assert.DoesNotContain('\n', damaged.Message);
        Assert.Contains($"run evidencectl audit --data {data}", damaged.Message, StringComparison.Ordinal);
    }
}
