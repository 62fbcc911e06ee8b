using EvidenceChain.Node;

// The node: `dotnet run --project src/EvidenceChain.Node [-- --data DIR --grpc URL --http URL]`. See README.md.
try
{
    await using var node = await EvidenceNode.StartAsync(args);
    await node.WaitForShutdownAsync();
    return 0;
}
catch (Exception e) when (e is ArgumentException or EvidenceChain.Storage.DataFolderLockedException or EvidenceChain.Ledger.LedgerCorruptException
    or EvidenceChain.Storage.DataFolderDamagedException or InvalidDataException or IOException or UnauthorizedAccessException or InvalidOperationException)
{
    await Console.Error.WriteLineAsync($"evidencechain-node: {e.Message}");
    return 1;
}
