namespace EvidenceChain.Ledger.Witnessing;

/// <summary>What a witness answered to <c>add-checkpoint</c>. Immutable.</summary>
/// <param name="Outcome">Cosigned, a conflict with the size it holds, or a refused consistency proof.</param>
/// <param name="CosignatureLine">
/// When cosigned: the verified cosignature line (<c>— name base64</c>, ending in a newline) to append to the checkpoint.
/// </param>
/// <param name="WitnessSize">When a conflict: the size of the latest checkpoint the witness cosigned for this log.</param>
public sealed record WitnessAnswer(WitnessOutcome Outcome, string? CosignatureLine = null, ulong WitnessSize = 0)
{
    /// <summary>A cosignature over the submitted checkpoint.</summary>
    public static WitnessAnswer Cosigned(string line) => new(WitnessOutcome.Cosigned, line);

    /// <summary>HTTP 409: the witness holds <paramref name="size"/>, not the old size sent (or another tree of that size).</summary>
    public static WitnessAnswer Conflict(ulong size) => new(WitnessOutcome.Conflict, WitnessSize: size);

    /// <summary>HTTP 422: the consistency proof did not verify against the witness's checkpoint.</summary>
    public static WitnessAnswer BadProof { get; } = new(WitnessOutcome.BadProof);
}

/// <summary>The kinds of <see cref="WitnessAnswer"/>.</summary>
public enum WitnessOutcome
{
    /// <summary>The checkpoint was cosigned.</summary>
    Cosigned,

    /// <summary>HTTP 409 Conflict, with the witness's size.</summary>
    Conflict,

    /// <summary>HTTP 422 Unprocessable Entity: the consistency proof was refused.</summary>
    BadProof,
}
