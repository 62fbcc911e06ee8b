using System.Text.Json;
using EvidenceChain.Storage;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;

namespace EvidenceChain.Cli.Tests.Mirror;

/// <summary>A real node to mirror (its own data folder and key), with a submitter key and helpers to grow its log.</summary>
internal sealed class MirrorLog : IAsyncDisposable
{
    private readonly TempFolder _files = new();
    private int _fileCount;

    private MirrorLog(TestNode node, string submitter, string logKey)
    {
        Node = node;
        SubmitterKey = submitter;
        LogKey = logKey;
    }

    public TestNode Node { get; }

    public string SubmitterKey { get; }

    /// <summary>The log's verifier key text, as --key takes it.</summary>
    public string LogKey { get; }

    /// <summary>The node's HTTP address, where it serves /checkpoint and /tile/.</summary>
    public string Url => Node.Node.HttpAddress.ToString();

    /// <summary>The node's log folder (tlog-tiles files).</summary>
    public string LogFolder => Path.Combine(Node.DataPath, "log");

    /// <summary>Starts a node; with <paramref name="keysFrom"/>, on a new data folder holding a copy of that node's log key (same origin, same key: a split view).</summary>
    public static async Task<MirrorLog> StartAsync(TempFolder? keysFrom = null, MirrorLog? sameKeyAs = null)
    {
        TestNode node;
        if (sameKeyAs is not null && keysFrom is not null)
        {
            var data = keysFrom.Sub("data-" + Guid.NewGuid().ToString("N")[..8]);
            var keys = Path.Combine(data, "keys");
            Directory.CreateDirectory(keys);
            foreach (var file in new[] { LogKeyFiles.PrivateKeyFile, LogKeyFiles.VerifierKeyFile })
            {
                File.Copy(Path.Combine(sameKeyAs.Node.DataPath, "keys", file), Path.Combine(keys, file));
            }

            node = await TestNode.StartAsync(data);
        }
        else
        {
            node = await TestNode.StartAsync();
        }

        var logKey = (await File.ReadAllTextAsync(Path.Combine(node.DataPath, "keys", LogKeyFiles.VerifierKeyFile))).Trim();
        return new MirrorLog(node, await node.CreateKeyAsync("submitter"), logKey);
    }

    /// <summary>Preserves <paramref name="count"/> new small files in one preserve call; returns the log's size after.</summary>
    public async Task<ulong> AppendAsync(int count)
    {
        await PreserveNewFilesAsync(Node, SubmitterKey, _files.Sub($"f{Interlocked.Increment(ref _fileCount)}"), count);
        return await SizeAsync();
    }

    /// <summary>Writes <paramref name="count"/> new small files into <paramref name="folder"/> and preserves them on <paramref name="node"/> in one preserve call.</summary>
    public static async Task PreserveNewFilesAsync(TestNode node, string submitterKey, string folder, int count)
    {
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(folder, $"e{i}.txt");
            await File.WriteAllTextAsync(path, $"entry {i} {Guid.NewGuid()}");
            paths.Add(path);
        }

        var result = await Cli.RunAsync(["preserve", .. paths, "--node", node.Node.GrpcAddress.ToString(), "--api-key", submitterKey]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>The size of the node's latest checkpoint.</summary>
    public async Task<ulong> SizeAsync()
    {
        var result = await Cli.RunAsync("checkpoint", "--json", "--node", Node.Node.GrpcAddress.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Out).RootElement.GetProperty("treeSize").GetUInt64();
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        _files.Dispose();
    }
}
