using System.Net;
using EvidenceChain.Api.V1;
using EvidenceChain.Core;
using EvidenceChain.Core.Notes;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using Google.Protobuf;
using Grpc.Core;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;
using ConsistencyProof = EvidenceChain.Core.Merkle.ConsistencyProof;
using Checkpoint = EvidenceChain.Api.V1.Checkpoint;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>First start, restart on the same data folder, a second node on a folder in use, and graceful shutdown.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task StartAsync_NewDataFolder_SecretKeyFilesAreOwnerOnly()
    {
        await using var node = await TestNode.StartAsync();

        Assert.NotNull(node.Node.AdminKeyPath);
        Assert.Equal(Path.Combine(node.DataPath, "keys", "admin.apikey"), node.Node.AdminKeyPath);
        Assert.Equal(node.AdminKey + "\n", await File.ReadAllTextAsync(node.Node.AdminKeyPath));
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(node.Node.AdminKeyPath));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(node.DataPath, "keys", "log.key")));
        }

        node.AssertNoErrors();
    }

    [Fact]
    public async Task Restart_SameDataFolder_EntriesKeysAndLogKeyKeptAdminKeyFileNotRewritten()
    {
        using var temp = new TempFolder();
        var path = temp.Sub("data");
        string adminKey, submitterKey, adminKeyFile, adminKeyText;
        NoteVerifier logKey;
        Checkpoint before;
        List<Entry> entries;
        await using (var first = await TestNode.StartAsync(path))
        {
            adminKey = first.AdminKey;
            submitterKey = await first.CreateKeyAsync("submitter");
            for (var i = 0; i < 3; i++)
            {
                await PreserveAsync(first, submitterKey, Bytes(100, seed: 500 + i), $"r{i}.bin");
            }

            adminKeyFile = first.Node.AdminKeyPath!;
            adminKeyText = await File.ReadAllTextAsync(adminKeyFile);
            logKey = first.LogKey();
            before = await first.Log.GetCheckpointAsync(new GetCheckpointRequest());
            entries = [.. (await first.Log.ListEntriesAsync(new ListEntriesRequest())).Entries];
            first.AssertNoErrors();
        }

        var writtenAt = File.GetLastWriteTimeUtc(adminKeyFile);
        await using var second = await TestNode.StartAsync(path);

        Assert.Null(second.Node.AdminKeyPath);
        Assert.Equal(adminKeyText, await File.ReadAllTextAsync(adminKeyFile));
        Assert.Equal(writtenAt, File.GetLastWriteTimeUtc(adminKeyFile));
        Assert.Equal(logKey, second.LogKey());
        Assert.Equal(before, await second.Log.GetCheckpointAsync(new GetCheckpointRequest()));
        Assert.Equal(entries, (await second.Log.ListEntriesAsync(new ListEntriesRequest())).Entries);
        var keys = (await second.Admin.ListApiKeysAsync(new ListApiKeysRequest(), TestNode.As(adminKey))).Keys;
        Assert.Equal([KeyId(adminKey), KeyId(submitterKey)], keys.Select(k => k.Id));
        var (_, content, _) = await DownloadAsync(second, submitterKey, 3, "r1.bin"); // entries 0 and 1: the keys' events
        Assert.Equal(Bytes(100, seed: 501), content);

        var next = await PreserveAsync(second, submitterKey, Bytes(100, seed: 510), "after.bin");

        Assert.Equal(5ul, next.Entry.Index);
        Assert.Equal(entries[4].LeafHash, next.Entry.Prev);
        var opened = CheckpointNote.Open(next.SignedCheckpoint, logKey);
        Assert.True(opened.IsValid, opened.Message);
        var proof = await second.Log.GetConsistencyProofAsync(new GetConsistencyProofRequest { Size1 = before.TreeSize, Size2 = opened.Checkpoint!.Size });
        Assert.True(ConsistencyProof.Verify(
            before.TreeSize, opened.Checkpoint.Size, Hash.Parse(before.RootHash), opened.Checkpoint.Root, [.. proof.Hashes.Select(Hash.Parse)]).IsValid);
        second.AssertNoErrors();
    }

    [FilesDriverOnly("the data folder's lock (on postgres the sequencer lease refuses a second process: PostgresDriverTests)")]
    [Fact]
    public async Task StartAsync_DataFolderInUse_FailsNamingTheLock()
    {
        await using var running = await TestNode.StartAsync();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestNode.StartAsync(running.DataPath));

        Assert.Contains("in use by another process", e.Message, StringComparison.Ordinal);
        Assert.Equal(3ul, (await PreserveAsync(running, await running.CreateKeyAsync("submitter"), Bytes(10, seed: 520))).TreeSize); // after two key events
        running.AssertNoErrors();
    }

    [Fact]
    public async Task DisposeAsync_UploadsInFlight_CompleteAndEveryAcknowledgedEntrySurvivesRestart()
    {
        using var temp = new TempFolder();
        var path = temp.Sub("data");
        var node = await TestNode.StartAsync(path);
        var key = await node.CreateKeyAsync("submitter");
        using var http = GatedContent.Client(node.Node.HttpAddress);
        var held = Enumerable.Range(0, 3).Select(i => new GatedContent(Bytes(100, seed: 600 + i), Bytes(100, seed: 700 + i))).ToList();
        var raw = held.Select((c, i) => http.SendAsync(c.Request($"held{i}.bin", key))).ToList();
        await Task.WhenAll(held.Select(c => c.Started)); // three uploads are inside the node, half sent

        // 3 + 12 uploads stay within the default 16 per key, so a refusal can only come from the shutdown.
        var grpc = Enumerable.Range(0, 12).Select(i => PreserveAsync(node, key, Bytes(50, seed: 800 + i), $"g{i}.bin")).ToList();

        var stopping = node.Node.DisposeAsync().AsTask();
        held.ForEach(c => c.Release());

        var acknowledged = new List<Entry>();
        foreach (var upload in raw)
        {
            using var response = await upload;
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"An upload in flight at shutdown got HTTP {(int)response.StatusCode}: {body}");
            acknowledged.Add(JsonParser.Default.Parse<PreserveFileResponse>(body).Entry);
        }

        var refused = 0;
        foreach (var call in grpc)
        {
            try
            {
                acknowledged.Add((await call).Entry);
            }
            catch (RpcException e)
            {
                Assert.True(e.StatusCode == StatusCode.Unavailable, $"A call during shutdown failed with {e.StatusCode}: {e.Status.Detail}");
                refused++;
            }
        }

        await stopping;
        node.AssertNoErrors();
        node.Channel.Dispose();
        node.Http.Dispose();
        held.ForEach(c => c.Dispose());

        await using var restarted = await TestNode.StartAsync(path);
        var checkpoint = await restarted.Log.GetCheckpointAsync(new GetCheckpointRequest());
        Assert.True(checkpoint.TreeSize >= (ulong)acknowledged.Count, $"{checkpoint.TreeSize} entries; {acknowledged.Count} were acknowledged ({refused} refused)");
        foreach (var entry in acknowledged)
        {
            Assert.Equal(entry.Public(), await restarted.Evidence.GetEntryAsync(new GetEntryRequest { Index = entry.Index }));
            Assert.True(restarted.HasBlob(entry.Artefacts[0].Sha256), $"entry {entry.Index}: its blob is missing");
        }

        Assert.Equal(acknowledged.Count, acknowledged.Select(e => e.Index).Distinct().Count());
        restarted.AssertNoErrors();
    }
}
