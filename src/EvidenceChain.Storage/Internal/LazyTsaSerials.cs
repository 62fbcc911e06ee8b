using EvidenceChain.Ledger.Timestamping;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// <c>keys/tsa.serial</c> as the files driver hands it out: checked when the driver opens (damage is reported then, as
/// <see cref="DataFolderDamagedException"/> naming the file), but opened — which reserves a block of serial numbers
/// and writes the file — only when the first serial number is allocated, so that opening a folder without running
/// its TSA (evidencectl reindex, the audit's preparation) writes nothing into <c>keys/</c>.
/// </summary>
internal sealed class LazyTsaSerials : ITsaSerialNumbers
{
    private readonly Lazy<TsaSerialFile> _file;

    public LazyTsaSerials(string dataPath, string keysPath)
    {
        var fallback = "keys/" + TsaSerialFile.FileName;
        Damage.Open(dataPath, fallback, [], () => TsaSerialFile.ReadBlock(Path.Combine(keysPath, TsaSerialFile.FileName)));
        _file = new(() =>
        {
            LogKeyFiles.CreateKeysFolder(keysPath); // 0700, as the key files' folder
            return Damage.Open(dataPath, fallback, [], () => new TsaSerialFile(keysPath));
        });
    }

    public UInt128 Allocate() => _file.Value.Allocate();
}
