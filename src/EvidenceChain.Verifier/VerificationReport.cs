namespace EvidenceChain.Verification;

/// <summary>
/// The steps of one verification, in order. Verification stops at the first failed step, because every later
/// step depends on it; <see cref="IsValid"/> is true only when every step ran and passed.
/// </summary>
/// <remarks>Immutable once returned.</remarks>
public sealed class VerificationReport
{
    private readonly List<VerificationStep> _steps = [];

    /// <summary>The steps that ran.</summary>
    public IReadOnlyList<VerificationStep> Steps => _steps;

    /// <summary>True when every step passed.</summary>
    public bool IsValid => _steps.Count > 0 && _steps.TrueForAll(s => s.Passed);

    /// <summary>The first failed step, if any.</summary>
    public VerificationStep? FirstFailure => _steps.Find(s => !s.Passed);

    internal bool Add(string name, bool passed, string detail)
    {
        _steps.Add(new VerificationStep(name, passed, detail));
        return passed;
    }
}
