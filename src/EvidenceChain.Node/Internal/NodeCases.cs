using EvidenceChain.Ledger.Cases;
using EvidenceChain.Notes;
using EvidenceChain.Storage;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// The node's cases: the <see cref="CaseBook"/> over the ledger, its store (<c>cases.db</c>, rebuilt from the ledger
/// when it is missing or disagrees), and the log key that signs case manifests.
/// </summary>
internal sealed class NodeCases : IDisposable
{
    private readonly LiteDbCaseStore _store;

    private NodeCases(CaseBook book, LiteDbCaseStore store, NoteSigner signer)
    {
        Book = book;
        _store = store;
        ManifestSigner = signer;
    }

    public CaseBook Book { get; }

    /// <summary>The log's Ed25519 key (keys/log.key): a case manifest verifies under the same key as the checkpoints.</summary>
    public NoteSigner ManifestSigner { get; }

    public static async Task<NodeCases> OpenAsync(FileLedger ledger, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var signer = LogKeyFiles.Load(Path.Combine(ledger.Folder.KeysPath, LogKeyFiles.PrivateKeyFile));
        var store = new LiteDbCaseStore(ledger.Folder);
        try
        {
            var book = await CaseBook.OpenAsync(ledger.Ledger, store, loggers.CreateLogger<CaseBook>(), cancellationToken);
            return new NodeCases(book, store, signer);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public void Dispose() => _store.Dispose();
}
