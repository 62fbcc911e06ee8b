using EvidenceChain.Testing.Node;

namespace EvidenceChain.Node.IntegrationTests.Infrastructure;

/// <summary>
/// One real node per test class (an xunit class fixture), started with <see cref="Settings"/>, with a submitter key
/// made for it. Tests of one class run one after another, so they may share it as long as they do not depend on the
/// exact tree size.
/// </summary>
public class NodeFixture : IAsyncLifetime
{
    private TestNode? _node;

    public TestNode Node => _node ?? throw new InvalidOperationException("The fixture has not started its node.");

    /// <summary>A submitter key's bearer token.</summary>
    public string SubmitterKey { get; private set; } = string.Empty;

    /// <summary>Extra command-line settings for the node.</summary>
    protected virtual string[] Settings => [];

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync(null, Settings);
        SubmitterKey = await _node.CreateKeyAsync("submitter");
        await SeedAsync(_node);
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    /// <summary>Adds what the class's tests read (entries, keys) once the node runs.</summary>
    protected virtual Task SeedAsync(TestNode node) => Task.CompletedTask;
}
