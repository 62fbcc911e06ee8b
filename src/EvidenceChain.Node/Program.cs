using EvidenceChain.Ledger;
using EvidenceChain.Storage;

namespace EvidenceChain.Node;

/// <summary>The node: <c>dotnet run --project src/EvidenceChain.Node [-- --data DIR --grpc URL --http URL]</c>. See README.md.</summary>
internal static class Program
{
    /// <summary>Runs the node until it is stopped; 1, with the reason on standard error, when it cannot start.</summary>
    public static async Task<int> Main(string[] args)
    {
        try
        {
            await using var node = await EvidenceNode.StartAsync(args);
            await node.WaitForShutdownAsync();
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or DataFolderLockedException or LedgerCorruptException
            or DataFolderDamagedException or InvalidDataException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"evidencechain-node: {e.Message}");
            return 1;
        }
    }
}
