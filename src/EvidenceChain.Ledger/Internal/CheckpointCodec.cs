using EvidenceChain.Notes;

namespace EvidenceChain.Ledger.Internal;

/// <summary>Signs and opens this log's checkpoints with its own key.</summary>
internal sealed class CheckpointCodec(NoteSigner signer)
{
    public string Origin => signer.Name;

    public string Sign(ulong size, Hash root) => signer.Sign(new Checkpoint(Origin, size, root, []).ToNoteText());

    /// <summary>Opens a checkpoint of this log; a bad signature or another log's origin (OriginMismatch) is corruption.</summary>
    public Checkpoint Open(string signedCheckpoint, string where)
    {
        var result = CheckpointNote.Open(signedCheckpoint, signer.VerifierKey);
        if (!result.IsValid || result.Checkpoint is null)
        {
            throw new LedgerCorruptException($"{where}: {result.Message}");
        }

        return result.Checkpoint;
    }
}
