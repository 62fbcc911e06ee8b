using EvidenceChain.Storage.Contract.Tests.Infrastructure;

namespace EvidenceChain.Storage.Contract.Tests;

/// <summary>The base of every port's contract suite: a fresh backend per test, disposed after it.</summary>
public abstract class StoreContract(IStoreBackend backend) : IAsyncLifetime
{
    protected IStoreBackend Backend { get; } = backend;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Backend.DisposeAsync();
}
