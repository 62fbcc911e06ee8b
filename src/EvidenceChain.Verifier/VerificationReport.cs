namespace EvidenceChain.Verifier;

/// <summary>
/// The steps of one verification, in order: each passed, failed, or was skipped (not checked, with the reason).
/// <see cref="IsValid"/> is true when at least one step passed and none failed; callers that need a step to have
/// run (for example the timestamp) must look for it among <see cref="Steps"/>.
/// </summary>
/// <remarks>Immutable once returned.</remarks>
public sealed class VerificationReport
{
    private readonly List<VerificationStep> _steps = [];

    /// <summary>The steps, in the order they ran.</summary>
    public IReadOnlyList<VerificationStep> Steps => _steps;

    /// <summary>True when some step passed and no step failed (skipped steps are listed but are not failures).</summary>
    public bool IsValid => _steps.Exists(s => s.Passed) && !_steps.Exists(s => s.Failed);

    /// <summary>
    /// The committed fields a receipt disclosed and the <c>disclosed</c> step proved against the leaf's commitments
    /// (field, clear value, salt); empty when none were disclosed or the step failed. Values are untrusted text: escape
    /// them before display.
    /// </summary>
    public IReadOnlyList<Core.Entries.Opening> Disclosed { get; internal set; } = [];

    /// <summary>
    /// For a web capture whose WARC was given: the TLS server certificate it recorded for the final URL, once the
    /// WARC's artefact digest and the <c>warc records</c> step passed; null otherwise.
    /// </summary>
    public CapturedTls? Tls { get; internal set; }

    /// <summary>
    /// The cosignatures by witnesses of the given policy that verified over the proof's checkpoint, one per witness, in
    /// note order (the <c>witnesses</c> step); empty without a policy.
    /// </summary>
    public IReadOnlyList<Receipts.VerifiedCosignature> Cosignatures { get; internal set; } = [];

    /// <summary>The first failed step, if any.</summary>
    public VerificationStep? FirstFailure => _steps.Find(s => s.Failed);

    internal bool Add(string name, bool passed, string detail)
    {
        _steps.Add(new VerificationStep(name, passed, detail));
        return passed;
    }

    internal void Skip(string name, string reason) => _steps.Add(new VerificationStep(name, false, reason) { Skipped = true });

    internal void Add(VerificationStep step) => _steps.Add(step);
}
