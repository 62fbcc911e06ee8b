using EvidenceChain.Api.V1;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests.Damage;

/// <summary>
/// A data folder a real node wrote and left (stopped): entries with blobs, checkpoint tokens, the TSA's keys and
/// serial counter, and API keys of every role, one revoked. Tests work on copies (<see cref="Copy"/>).
/// </summary>
public sealed class NodeFolderFixture : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _temp = new();

    public string Pristine => _temp.Sub("pristine");

    /// <summary>The id of the case-manager key.</summary>
    public string CaseManagerId { get; private set; } = string.Empty;

    /// <summary>The id of the revoked submitter key.</summary>
    public string RevokedId { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await using var node = await TestNode.StartAsync(Pristine);
        var submitter = await node.CreateKeyAsync("submitter");
        CaseManagerId = KeyId(await node.CreateKeyAsync("case-manager", "cases"));
        RevokedId = KeyId(await node.CreateKeyAsync("submitter", "to revoke"));
        await node.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = RevokedId }, TestNode.As(node.AdminKey));
        for (var i = 0; i < 3; i++)
        {
            await PreserveAsync(node, submitter, Bytes(1000 + i, i), $"f{i}.txt");
        }

        // Every checkpoint is stamped by the built-in TSA shortly after it is published.
        var index = Path.Combine(Pristine, "log", "timestamps.idx");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((!File.Exists(index) || new FileInfo(index).Length < 3 * 24) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(new FileInfo(index).Length >= 3 * 24, "the node stamped fewer than three checkpoints in 30 s");
    }

    /// <summary>A copy of the folder in <paramref name="temp"/>, to damage.</summary>
    public string Copy(TempFolder temp)
    {
        var target = temp.Sub("data");
        foreach (var file in Directory.EnumerateFiles(Pristine, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(Pristine, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();
}
