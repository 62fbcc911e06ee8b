namespace EvidenceChain.Core.Notes;

/// <summary>Why a signed checkpoint was not accepted.</summary>
public enum CheckpointFailure
{
    /// <summary>The checkpoint verified.</summary>
    None = 0,

    /// <summary>The bytes are not a well-formed signed note (see <see cref="NoteFailure.Malformed"/>).</summary>
    Malformed,

    /// <summary>The note has more than <see cref="SignedNote.MaxSignatures"/> signature lines.</summary>
    TooManySignatures,

    /// <summary>The log key's signature on the note does not verify.</summary>
    InvalidSignature,

    /// <summary>The note carries no signature by the log key (or by one of the log keys that were all required).</summary>
    NoVerifiedSignature,

    /// <summary>The log key signed the note, but its text is not a valid checkpoint body.</summary>
    BadCheckpointBody,

    /// <summary>The checkpoint's origin differs from the log key's name.</summary>
    OriginMismatch,
}
