using System.Text.Json;
using EvidenceChain.Storage;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;

namespace EvidenceChain.Cli.Tests.Node;

/// <summary>
/// A real node for the CLI's end-to-end tests (one per test class), with a key per role, the log's verifier key and a
/// folder for the files the tests preserve and download. On dispose it fails the class if the node logged an error that no test declared with
/// <see cref="TestNode.ExpectError"/>.
/// </summary>
public sealed class CliNode : IAsyncLifetime, IDisposable
{
    private TempFolder? _files;
    private TestNode? _node;
    private int _fileCount;

    public TestNode Node => _node ?? throw new InvalidOperationException("The node has not started.");

    /// <summary>The node's gRPC address, as --node takes it.</summary>
    public string Url => Node.Node.GrpcAddress.ToString();

    /// <summary>The log's verifier key, as --key takes it.</summary>
    public string LogKey { get; private set; } = string.Empty;

    public string AdminKey => Node.AdminKey;

    public string SubmitterKey { get; private set; } = string.Empty;

    public string CaseManagerKey { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _files = new TempFolder();
        _node = await TestNode.StartAsync();
        LogKey = (await File.ReadAllTextAsync(Path.Combine(Node.DataPath, "keys", LogKeyFiles.VerifierKeyFile))).Trim();
        SubmitterKey = await Node.CreateKeyAsync("submitter");
        CaseManagerKey = await Node.CreateKeyAsync("case-manager");
    }

    /// <summary><paramref name="args"/> with <c>--node</c> and, when given, <c>--api-key</c>.</summary>
    public string[] Args(string? key, params string[] args) =>
        key is null ? [.. args, "--node", Url] : [.. args, "--node", Url, "--api-key", key];

    /// <summary>A new folder for the files of one test.</summary>
    public string NewFolder()
    {
        var path = (_files ?? throw new InvalidOperationException("The node has not started.")).Sub($"t{Interlocked.Increment(ref _fileCount)}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Writes <paramref name="content"/> to a file named <paramref name="name"/> in a new folder.</summary>
    public string WriteFile(string name, byte[] content)
    {
        var path = Path.Combine(NewFolder(), name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Preserves <paramref name="path"/> with the submitter key (or <paramref name="key"/>) and returns the entry's JSON.</summary>
    internal async Task<JsonElement> PreserveAsync(string path, string? key = null)
    {
        var result = await Cli.RunAsync(Args(key ?? SubmitterKey, "preserve", path, "--json"));
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Out).RootElement.GetProperty("preserved")[0].GetProperty("entry").Clone();
    }

    /// <summary>Preserves a new file with unique content and returns its index.</summary>
    internal async Task<ulong> PreserveNewAsync()
    {
        var entry = await PreserveAsync(WriteFile("note.txt", Guid.NewGuid().ToByteArray()));
        return entry.GetProperty("index").GetUInt64();
    }

    /// <summary>Stops the node; <see cref="TestNode.DisposeAsync"/> fails the class if it logged an undeclared error.</summary>
    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    public void Dispose() => _files?.Dispose();
}
