using System.Globalization;

namespace EvidenceChain.Core.Merkle;

/// <summary>
/// The outcome of checking a Merkle proof: success, or the reason for failure with the expected and
/// calculated roots where they exist. A failure is an expected outcome for untrusted input, not an exception.
/// </summary>
/// <remarks>Immutable. The <c>default</c> value is a success with no roots.</remarks>
public readonly record struct ProofResult
{
    /// <summary>True when the proof verified.</summary>
    public bool IsValid => Failure == ProofFailure.None;

    /// <summary>Why the proof failed, or <see cref="ProofFailure.None"/>.</summary>
    public ProofFailure Failure { get; init; }

    /// <summary>The root the caller expected, when the failure compares roots.</summary>
    public Hash? ExpectedRoot { get; init; }

    /// <summary>The root the proof recomputes, when the failure compares roots.</summary>
    public Hash? CalculatedRoot { get; init; }

    /// <summary>A one-line explanation for people.</summary>
    public string Message { get; init; }

    internal static ProofResult Valid { get; } = new() { Message = "verified" };

    internal static ProofResult Fail(ProofFailure failure, string message) =>
        new() { Failure = failure, Message = message };

    internal static ProofResult Mismatch(ProofFailure failure, Hash expected, Hash calculated) => new()
    {
        Failure = failure,
        ExpectedRoot = expected,
        CalculatedRoot = calculated,
        Message = string.Create(
            CultureInfo.InvariantCulture,
            $"{(failure == ProofFailure.FirstRootMismatch ? "first root" : "root")} mismatch: expected {expected}, proof gives {calculated}"),
    };

    /// <inheritdoc/>
    public override string ToString() => Message ?? "verified";
}
