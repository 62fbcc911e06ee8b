using System.Diagnostics.CodeAnalysis;

namespace EvidenceChain.Core.Notes;

/// <summary>
/// The outcome of opening a signed note: the verified text and who signed it, or the reason it was rejected.
/// A rejection is an expected outcome for untrusted input, not an exception.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. <see cref="Text"/> is only set when the note verified, because the spec says
/// unverified text must be ignored.
/// </remarks>
public sealed class NoteOpenResult
{
    private NoteOpenResult(
        NoteFailure failure,
        string message,
        string? text,
        IReadOnlyList<NoteSignature> verifiedBy,
        IReadOnlyList<NoteSignature> unknownSignatures,
        NoteSignature? failedSignature)
    {
        Failure = failure;
        Message = message;
        Text = text;
        VerifiedBy = verifiedBy;
        UnknownSignatures = unknownSignatures;
        FailedSignature = failedSignature;
    }

    /// <summary>True when the note is well-formed, at least one known key signed it and no known key's signature failed.</summary>
    [MemberNotNullWhen(true, nameof(Text))]
    public bool IsValid => Failure == NoteFailure.None;

    /// <summary>Why the note was rejected, or <see cref="NoteFailure.None"/>.</summary>
    public NoteFailure Failure { get; }

    /// <summary>A one-line explanation for people.</summary>
    public string Message { get; }

    /// <summary>The signed text, including its final newline, when the note verified; otherwise null.</summary>
    public string? Text { get; }

    /// <summary>The signatures by known keys that verified, one per key, in note order. Empty on failure.</summary>
    public IReadOnlyList<NoteSignature> VerifiedBy { get; }

    /// <summary>
    /// The signatures by keys not among the known keys, which were ignored (repeats dropped), in note order.
    /// Filled when the note verified or failed with <see cref="NoteFailure.NoVerifiedSignature"/>; otherwise empty.
    /// </summary>
    public IReadOnlyList<NoteSignature> UnknownSignatures { get; }

    /// <summary>For <see cref="NoteFailure.InvalidSignature"/>, the signature that did not verify; otherwise null.</summary>
    public NoteSignature? FailedSignature { get; }

    /// <inheritdoc/>
    public override string ToString() => Message;

    internal static NoteOpenResult Verified(
        string text, IReadOnlyList<NoteSignature> verifiedBy, IReadOnlyList<NoteSignature> unknownSignatures) =>
        new(NoteFailure.None, $"verified: signed by {string.Join(", ", verifiedBy)}", text, verifiedBy, unknownSignatures, null);

    internal static NoteOpenResult Fail(NoteFailure failure, string message) =>
        new(failure, message, null, [], [], null);

    internal static NoteOpenResult Unverified(string message, IReadOnlyList<NoteSignature> unknownSignatures) =>
        new(NoteFailure.NoVerifiedSignature, message, null, [], unknownSignatures, null);

    internal static NoteOpenResult BadSignature(NoteSignature signature) =>
        new(
            NoteFailure.InvalidSignature,
            $"the signature by known key {signature} does not verify",
            null,
            [],
            [],
            signature);
}
