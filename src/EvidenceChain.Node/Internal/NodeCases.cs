using EvidenceChain.Ledger.Cases;
using EvidenceChain.Core.Notes;
using EvidenceChain.Storage;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// The node's cases: the <see cref="CaseBook"/> over the ledger and the storage driver's case store (rebuilt from the
/// ledger when it is empty or disagrees), and the log key that signs case manifests.
/// </summary>
internal sealed class NodeCases
{
    private readonly NoteSigner[] _signers;

    private NodeCases(CaseBook book, NoteSigner[] signers)
    {
        Book = book;
        _signers = signers;
    }

    public CaseBook Book { get; }

    /// <summary>
    /// Signs a case manifest as a signed note with the log's Ed25519 key (keys/log.key), so it verifies under the same
    /// pinned key as the checkpoints, and under the national crypto profile with the log's SM2 key too (a second line).
    /// </summary>
    public string SignManifest(string text) => SignedNote.Sign(text, _signers);

    public static async Task<NodeCases> OpenAsync(NodeLedger ledger, Ledger.EntryOpenings openings, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        NoteSigner[] signers = ledger.Sm2VerifierKey is null
            ? [LogKeyFiles.Load(Path.Combine(ledger.KeysPath, LogKeyFiles.PrivateKeyFile))]
            : [LogKeyFiles.Load(Path.Combine(ledger.KeysPath, LogKeyFiles.PrivateKeyFile)), LogKeyFiles.Load(Path.Combine(ledger.KeysPath, LogKeyFiles.Sm2PrivateKeyFile))];
        var book = await ledger.DiagnoseAsync(
            () => CaseBook.OpenAsync(ledger.Ledger, openings, ledger.Driver.Cases, loggers.CreateLogger<CaseBook>(), cancellationToken));
        return new NodeCases(book, signers);
    }
}
