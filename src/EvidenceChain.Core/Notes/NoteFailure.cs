namespace EvidenceChain.Core.Notes;

/// <summary>Why a signed note was not accepted.</summary>
public enum NoteFailure
{
    /// <summary>The note verified.</summary>
    None = 0,

    /// <summary>
    /// The bytes are not a well-formed signed note: too large, not UTF-8, a control character, no blank line
    /// before the signatures, a bad signature line, or no final newline.
    /// </summary>
    Malformed,

    /// <summary>The note has more than <see cref="SignedNote.MaxSignatures"/> signature lines.</summary>
    TooManySignatures,

    /// <summary>A signature by a known key (same name and key ID) does not verify, so the whole note is rejected.</summary>
    InvalidSignature,

    /// <summary>The note is well-formed, but no known key signed it; only unknown keys did.</summary>
    NoVerifiedSignature,
}
