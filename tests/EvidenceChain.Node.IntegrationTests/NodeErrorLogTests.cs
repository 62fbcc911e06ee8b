using EvidenceChain.Testing.Node;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// Every fixture that hosts a node fails on dispose when the node logged an error no test declared, and a declaration
/// covers only the entry it names.
/// </summary>
public sealed class NodeErrorLogTests
{
    private const string Category = "EvidenceChain.Node.Probe";

    [Fact]
    public async Task DisposeAsync_UndeclaredErrorLogged_FailsNamingTheEntry()
    {
        var node = await TestNode.StartAsync();
        LogError(node, 9001, "disk on fire");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => node.DisposeAsync().AsTask());

        Assert.Contains($"Error {Category}[9001] disk on fire", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_DeclaredErrorLogged_Passes()
    {
        var node = await TestNode.StartAsync();
        node.ExpectError(9001, Category, "disk on fire");
        LogError(node, 9001, "disk on fire at 03:00");

        await node.DisposeAsync();

        Assert.Empty(node.UnexpectedErrors());
    }

    [Theory]
    [InlineData(9002, Category, "disk on fire")]
    [InlineData(9001, "EvidenceChain.Node.Other", "disk on fire")]
    [InlineData(9001, Category, "disk flooded")]
    public void Unexpected_DeclarationDiffersInOnePart_StillUnexpected(int eventId, string category, string messagePart)
    {
        LogRecord[] records = [new(LogLevel.Error, Category, 9001, "disk on fire", null)];

        var unexpected = ExpectedError.Unexpected(records, [new ExpectedError(eventId, category, messagePart)]);

        Assert.Equal(records, unexpected);
    }

    [Fact]
    public void Unexpected_WarningsAndCritical_OnlyErrorsAndWorseCount()
    {
        LogRecord[] records =
        [
            new(LogLevel.Warning, Category, 1, "slow disk", null),
            new(LogLevel.Critical, Category, 2, "disk gone", null),
        ];

        var unexpected = ExpectedError.Unexpected(records, []);

        Assert.Equal([records[1]], unexpected);
    }

    private static void LogError(TestNode node, int eventId, string message) =>
        node.Logs.CreateLogger(Category).Log(LogLevel.Error, new EventId(eventId), message, null, (m, _) => m);
}
