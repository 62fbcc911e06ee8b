using EvidenceChain.Notes.Internal;

namespace EvidenceChain.Notes;

/// <summary>
/// Signs and opens checkpoints as signed notes (c2sp.org/tlog-checkpoint@v1.0.0 over c2sp.org/signed-note@v1.0.0).
/// This is the entry point for the ledger and the command-line verifier.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class CheckpointNote
{
    /// <summary>Signs a checkpoint with the log's key and returns the signed note.</summary>
    /// <exception cref="ArgumentException">The checkpoint's origin is not the signer's key name.</exception>
    public static string Sign(Checkpoint checkpoint, NoteSigner signer)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(signer);
        if (!string.Equals(checkpoint.Origin, signer.Name, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The checkpoint origin {NoteSyntax.Quote(checkpoint.Origin)} is not the key name {NoteSyntax.Quote(signer.Name)}.",
                nameof(checkpoint));
        }

        return SignedNote.Sign(checkpoint.ToNoteText(), signer);
    }

    /// <summary>
    /// Opens an untrusted signed checkpoint: it must be a signed note verified by <paramref name="logKey"/>
    /// (other signatures, such as witness cosignatures, are ignored), its text a valid checkpoint body, and its
    /// origin equal to the key name. Never throws for any note text.
    /// </summary>
    public static CheckpointOpenResult Open(string note, NoteVerifier logKey)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(logKey);
        return FromNote(SignedNote.Open(note, [logKey]), logKey);
    }

    /// <summary>Opens an untrusted signed checkpoint given as UTF-8 bytes, as <see cref="Open(string, NoteVerifier)"/> does.</summary>
    public static CheckpointOpenResult Open(ReadOnlySpan<byte> note, NoteVerifier logKey)
    {
        ArgumentNullException.ThrowIfNull(logKey);
        return FromNote(SignedNote.Open(note, [logKey]), logKey);
    }

    private static CheckpointOpenResult FromNote(NoteOpenResult opened, NoteVerifier logKey)
    {
        if (!opened.IsValid)
        {
            var failure = opened.Failure switch
            {
                NoteFailure.TooManySignatures => CheckpointFailure.TooManySignatures,
                NoteFailure.InvalidSignature => CheckpointFailure.InvalidSignature,
                NoteFailure.NoVerifiedSignature => CheckpointFailure.NoVerifiedSignature,
                _ => CheckpointFailure.Malformed,
            };
            var message = opened.Failure == NoteFailure.NoVerifiedSignature
                ? $"not signed by the log key {logKey.Name}+{NoteSyntax.FormatKeyId(logKey.KeyId)}: {opened.Message}"
                : opened.Message;
            return CheckpointOpenResult.Fail(failure, message, opened);
        }

        if (!Checkpoint.TryParse(opened.Text, out var checkpoint, out var error))
        {
            return CheckpointOpenResult.Fail(CheckpointFailure.BadCheckpointBody, $"signed text is not a checkpoint: {error}", opened);
        }

        if (!string.Equals(checkpoint.Origin, logKey.Name, StringComparison.Ordinal))
        {
            return CheckpointOpenResult.Fail(
                CheckpointFailure.OriginMismatch,
                $"checkpoint origin {NoteSyntax.Quote(checkpoint.Origin)} is not the log key name {NoteSyntax.Quote(logKey.Name)}",
                opened);
        }

        return CheckpointOpenResult.Verified(checkpoint, opened);
    }
}
