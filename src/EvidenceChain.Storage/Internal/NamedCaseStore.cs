using EvidenceChain.Ledger.Cases;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// <c>cases.db</c> as the driver hands it out: damage met while loading the stored events (when the node opens its
/// case book) is reported as <see cref="DataFolderDamagedException"/> naming the file.
/// </summary>
internal sealed class NamedCaseStore(LiteDbCaseStore inner, string dataPath) : ICaseStore
{
    public ulong Watermark => inner.Watermark;

    public IReadOnlyList<StoredCaseEvent> Load() => Damage.Open(dataPath, LiteDbCaseStore.FileName, [], inner.Load);

    public void Add(StoredCaseEvent caseEvent, ulong watermark) => inner.Add(caseEvent, watermark);

    public void SetWatermark(ulong watermark) => inner.SetWatermark(watermark);

    public void Reset() => inner.Reset();
}
