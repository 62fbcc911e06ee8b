using EvidenceChain.Ledger.Witnessing;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// <c>log/cosignatures</c>, read on first use: a node that collects no cosignatures never reads the file, and damage
/// is reported as <see cref="DataFolderDamagedException"/> naming it when a cosigner starts.
/// </summary>
internal sealed class LazyCosignatureStore(string dataPath, string logPath) : ICosignatureStore
{
    private readonly Lazy<FileCosignatureStore> _store = new(
        () => Damage.Open(dataPath, "log/" + FileCosignatureStore.FileName, ["log/" + FileCosignatureStore.FileName], () => new FileCosignatureStore(logPath)));

    public CosignatureState Current => _store.Value.Current;

    public Task SaveAsync(CosignatureState state, CancellationToken cancellationToken) => _store.Value.SaveAsync(state, cancellationToken);
}
