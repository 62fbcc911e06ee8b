using EvidenceChain.Node.IntegrationTests.Cases;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>The data folder is the operator's: what a node creates in it is 0600 (files) and 0700 (folders).</summary>
public sealed class DataFolderModeTests
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode FolderMode = FileMode | UnixFileMode.UserExecute;

    [FilesDriverOnly("the modes of the data folder's files")]
    [Fact]
    public async Task RunningNode_AfterPreservingAndACase_EveryFileOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempFolder();
        var path = temp.Sub("data");
        await using (var node = await TestNode.StartAsync(path))
        {
            var submitter = await node.CreateKeyAsync("submitter");
            var manager = await node.CreateKeyAsync("case-manager");
            await PreserveAsync(node, submitter, Bytes(1000, seed: 60), "small.bin");
            await PreserveAsync(node, submitter, Bytes(3 << 20, seed: 61), "large.bin");
            await node.CreateAsync(manager);

            AssertOwnerOnly(path); // while it runs: LiteDB journals, the pack being written, temporary folders
        }

        AssertOwnerOnly(path);
    }

    [FilesDriverOnly("an older data folder's node.db")]
    [Fact]
    public async Task Start_DataFolderFromOlderVersion_TopLevelEntriesRestricted()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempFolder();
        var path = temp.Sub("data");
        await (await TestNode.StartAsync(path)).DisposeAsync();

        const UnixFileMode worldReadable = FileMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(Path.Combine(path, "node.db"), worldReadable);
        File.SetUnixFileMode(Path.Combine(path, "index.db"), worldReadable);
        File.SetUnixFileMode(Path.Combine(path, "log"), FolderMode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        await using (var second = await TestNode.StartAsync(path))
        {
            Assert.Equal(FileMode, File.GetUnixFileMode(Path.Combine(path, "node.db")));
            Assert.Equal(FileMode, File.GetUnixFileMode(Path.Combine(path, "index.db")));
            Assert.Equal(FolderMode, File.GetUnixFileMode(Path.Combine(path, "log")));
        }
    }

    // Key files are written by the key writers (LogKeyFiles, TsaKeyFiles, the admin key): secret ones are 0600 and
    // tested there; the public ones (log.vkey, *.pem) are theirs to decide. Their folder is checked here.
    private static void AssertOwnerOnly(string path)
    {
        var wrong = new List<string>();
        var keys = Path.Combine(path, "keys");
        Check(new DirectoryInfo(path));
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry is FileInfo && Path.GetDirectoryName(entry.FullName) == keys)
            {
                continue;
            }

            Check(entry);
        }

        Assert.True(wrong.Count == 0, "Not owner-only:\n" + string.Join('\n', wrong));

        void Check(FileSystemInfo entry)
        {
            var expected = entry is DirectoryInfo ? FolderMode : FileMode;
            if (entry.UnixFileMode != expected)
            {
                wrong.Add($"{Path.GetRelativePath(path, entry.FullName)}: {entry.UnixFileMode} (expected {expected})");
            }
        }
    }
}
