using System.Diagnostics.CodeAnalysis;

namespace EvidenceChain.Core.Notes;

/// <summary>
/// The outcome of opening a signed checkpoint: the verified <see cref="Notes.Checkpoint"/>, or the reason it was
/// rejected. A rejection is an expected outcome for untrusted input, not an exception.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class CheckpointOpenResult
{
    private CheckpointOpenResult(CheckpointFailure failure, string message, Checkpoint? checkpoint, NoteOpenResult note)
    {
        Failure = failure;
        Message = message;
        Checkpoint = checkpoint;
        Note = note;
    }

    /// <summary>True when the log key signed the note, the body parses and the origin matches the key name.</summary>
    [MemberNotNullWhen(true, nameof(Checkpoint))]
    public bool IsValid => Failure == CheckpointFailure.None;

    /// <summary>Why the checkpoint was rejected, or <see cref="CheckpointFailure.None"/>.</summary>
    public CheckpointFailure Failure { get; }

    /// <summary>A one-line explanation for people.</summary>
    public string Message { get; }

    /// <summary>The verified checkpoint when <see cref="IsValid"/>; otherwise null.</summary>
    public Checkpoint? Checkpoint { get; }

    /// <summary>
    /// The result of opening the underlying signed note, for example to see cosignatures by other keys in
    /// <see cref="NoteOpenResult.UnknownSignatures"/>.
    /// </summary>
    public NoteOpenResult Note { get; }

    /// <inheritdoc/>
    public override string ToString() => Message;

    internal static CheckpointOpenResult Verified(Checkpoint checkpoint, NoteOpenResult note) =>
        new(CheckpointFailure.None, $"verified: {checkpoint}", checkpoint, note);

    internal static CheckpointOpenResult Fail(CheckpointFailure failure, string message, NoteOpenResult note) =>
        new(failure, message, null, note);
}
