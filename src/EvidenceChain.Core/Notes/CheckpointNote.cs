using EvidenceChain.Core.Notes.Internal;

namespace EvidenceChain.Core.Notes;

/// <summary>
/// Signs and opens checkpoints as signed notes (c2sp.org/tlog-checkpoint@v1.0.0 over c2sp.org/signed-note@v1.0.0).
/// This is the entry point for the ledger and the command-line verifier.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. A log signs with its Ed25519 key and, under the national crypto profile, also with
/// an SM2 key of the same name (docs/formats.md §6a). Any one of a log's keys can open its checkpoints alone
/// (<see cref="Open(string, NoteVerifier)"/>: the other key's line is ignored, as the spec requires for unknown keys);
/// <see cref="Open(string, IReadOnlyCollection{NoteVerifier})"/> requires a valid line by each of several keys.
/// </remarks>
public static class CheckpointNote
{
    /// <summary>
    /// Signs a checkpoint with the log's key, then with each of <paramref name="additionalSigners"/> (for example
    /// the log's SM2 key), one signature line each, and returns the signed note.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The checkpoint's origin is not the name of every signer, or a signer is null or given twice.
    /// </exception>
    public static string Sign(Checkpoint checkpoint, NoteSigner signer, params NoteSigner[] additionalSigners)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(additionalSigners);
        NoteSigner[] signers = [signer, .. additionalSigners];
        foreach (var s in signers)
        {
            if (s is not null && !string.Equals(checkpoint.Origin, s.Name, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"The checkpoint origin {NoteSyntax.Quote(checkpoint.Origin)} is not the key name {NoteSyntax.Quote(s.Name)}.",
                    nameof(checkpoint));
            }
        }

        return SignedNote.Sign(checkpoint.ToNoteText(), signers);
    }

    /// <summary>
    /// Opens an untrusted signed checkpoint: it must be a signed note verified by <paramref name="logKey"/>
    /// (other signatures, such as witness cosignatures or the log's other key, are ignored), its text a valid
    /// checkpoint body, and its origin equal to the key name. Never throws for any note text.
    /// </summary>
    /// <remarks>
    /// <paramref name="logKey"/> may be the log's Ed25519 key or its SM2 key: to check only the SM2 line of a
    /// national-profile checkpoint, pin the SM2 verifier key here.
    /// </remarks>
    public static CheckpointOpenResult Open(string note, NoteVerifier logKey)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(logKey);
        return FromNote(SignedNote.Open(note, [logKey]), [logKey]);
    }

    /// <summary>Opens an untrusted signed checkpoint given as UTF-8 bytes, as <see cref="Open(string, NoteVerifier)"/> does.</summary>
    public static CheckpointOpenResult Open(ReadOnlySpan<byte> note, NoteVerifier logKey)
    {
        ArgumentNullException.ThrowIfNull(logKey);
        return FromNote(SignedNote.Open(note, [logKey]), [logKey]);
    }

    /// <summary>
    /// Opens an untrusted signed checkpoint that must carry a valid signature by every one of
    /// <paramref name="logKeys"/>, for example the log's Ed25519 key and its SM2 key. Signatures by other keys are
    /// ignored. Never throws for any note text.
    /// </summary>
    /// <remarks>
    /// A key without a signature line fails with <see cref="CheckpointFailure.NoVerifiedSignature"/> and a message
    /// naming it; a bad line by any of the keys fails with <see cref="CheckpointFailure.InvalidSignature"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// <paramref name="logKeys"/> is empty, holds a null, keys of different names (a log's keys share its origin as
    /// their name), or two different keys with the same name and key ID.
    /// </exception>
    public static CheckpointOpenResult Open(string note, IReadOnlyCollection<NoteVerifier> logKeys)
    {
        ArgumentNullException.ThrowIfNull(note);
        CheckLogKeys(logKeys);
        return FromNote(SignedNote.Open(note, logKeys), logKeys);
    }

    private static void CheckLogKeys(IReadOnlyCollection<NoteVerifier> logKeys)
    {
        ArgumentNullException.ThrowIfNull(logKeys);
        if (logKeys.Count == 0)
        {
            throw new ArgumentException("At least one log key is needed.", nameof(logKeys));
        }

        var name = logKeys.First()?.Name;
        if (logKeys.Any(k => k is not null && !string.Equals(k.Name, name, StringComparison.Ordinal)))
        {
            throw new ArgumentException(
                $"A log's keys all have its origin as their name; got {string.Join(", ", logKeys.Select(k => k?.Name).Distinct())}.",
                nameof(logKeys));
        }
    }

    private static CheckpointOpenResult FromNote(NoteOpenResult opened, IReadOnlyCollection<NoteVerifier> logKeys)
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
                ? $"not signed by the log key {Describe(logKeys)}: {opened.Message}"
                : opened.Message;
            return CheckpointOpenResult.Fail(failure, message, opened);
        }

        var missing = logKeys.Where(k => !opened.VerifiedBy.Any(s => s.Name == k.Name && s.KeyId == k.KeyId)).ToList();
        if (missing.Count > 0)
        {
            return CheckpointOpenResult.Fail(
                CheckpointFailure.NoVerifiedSignature,
                $"not signed by the log key {Describe(missing)}; signed by {string.Join(", ", opened.VerifiedBy)}",
                opened);
        }

        if (!Checkpoint.TryParse(opened.Text, out var checkpoint, out var error))
        {
            return CheckpointOpenResult.Fail(CheckpointFailure.BadCheckpointBody, $"signed text is not a checkpoint: {error}", opened);
        }

        var name = logKeys.First().Name;
        if (!string.Equals(checkpoint.Origin, name, StringComparison.Ordinal))
        {
            return CheckpointOpenResult.Fail(
                CheckpointFailure.OriginMismatch,
                $"checkpoint origin {NoteSyntax.Quote(checkpoint.Origin)} is not the log key name {NoteSyntax.Quote(name)}",
                opened);
        }

        return CheckpointOpenResult.Verified(checkpoint, opened);
    }

    private static string Describe(IEnumerable<NoteVerifier> keys) =>
        string.Join(", ", keys.Select(k => $"{k.Name}+{NoteSyntax.FormatKeyId(k.KeyId)}"));
}
