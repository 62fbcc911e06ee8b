namespace EvidenceChain.Verifier;

/// <summary>One step of a verification: what was checked, whether it held, and why not.</summary>
/// <param name="Name">The step, e.g. <c>inclusion</c>.</param>
/// <param name="Passed">True when the step held; false when it failed or was not checked.</param>
/// <param name="Detail">What was found (on success), what was wrong (on failure), or why it was not checked.</param>
public sealed record VerificationStep(string Name, bool Passed, string Detail)
{
    /// <summary>
    /// True when the step was not checked (its input was not given, or a step it depends on failed). A skipped step
    /// is not a failure, but it is never a pass either: <see cref="Passed"/> is false.
    /// </summary>
    public bool Skipped { get; init; }

    /// <summary>True when the step was checked and did not hold.</summary>
    public bool Failed => !Passed && !Skipped;

    /// <inheritdoc/>
    public override string ToString() => $"{(Passed ? "PASS" : Skipped ? "SKIP" : "FAIL")} {Name}: {Detail}";
}
