using EvidenceChain.Core;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Ledger.Internal;

/// <summary>
/// Signs and opens this log's checkpoints with its own key, and with its SM2 key too when the national crypto profile
/// gave one (a second signature line, docs/formats.md §6a).
/// </summary>
internal sealed class CheckpointCodec
{
    private readonly NoteSigner _signer;
    private readonly NoteSigner[] _additional;

    public CheckpointCodec(NoteSigner signer, NoteSigner? sm2Signer)
    {
        if (sm2Signer is not null
            && (sm2Signer.Type != NoteKeyType.Sm2 || sm2Signer.Name != signer.Name || sm2Signer.KeyId == signer.KeyId))
        {
            throw new ArgumentException(
                $"The SM2 checkpoint key must be an SM2 key named {signer.Name} with its own key ID; got {sm2Signer}.",
                nameof(sm2Signer));
        }

        _signer = signer;
        _additional = sm2Signer is null ? [] : [sm2Signer];
    }

    public string Origin => _signer.Name;

    public string Sign(ulong size, Hash root) => CheckpointNote.Sign(new Checkpoint(Origin, size, root, []), _signer, _additional);

    /// <summary>
    /// Opens a checkpoint of this log; a bad signature or another log's origin (OriginMismatch) is corruption. The log
    /// key must have signed; a line by the SM2 key is checked when present (checkpoints from before the profile was
    /// turned on have none).
    /// </summary>
    public Checkpoint Open(string signedCheckpoint, string where)
    {
        var result = CheckpointNote.Open(signedCheckpoint, _signer.VerifierKey);
        if (!result.IsValid || result.Checkpoint is null)
        {
            throw new LedgerCorruptException($"{where}: {result.Message}");
        }

        foreach (var key in _additional)
        {
            var other = CheckpointNote.Open(signedCheckpoint, key.VerifierKey);
            if (other.Failure is not (CheckpointFailure.None or CheckpointFailure.NoVerifiedSignature))
            {
                throw new LedgerCorruptException($"{where}: {other.Message}");
            }
        }

        return result.Checkpoint;
    }
}
