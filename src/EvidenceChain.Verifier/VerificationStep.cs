namespace EvidenceChain.Verification;

/// <summary>One step of a verification: what was checked, whether it held, and why not.</summary>
/// <param name="Name">The step, e.g. <c>inclusion</c>.</param>
/// <param name="Passed">True when the step held.</param>
/// <param name="Detail">What was found (on success) or what was wrong (on failure).</param>
public sealed record VerificationStep(string Name, bool Passed, string Detail)
{
    /// <inheritdoc/>
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Name}: {Detail}";
}
