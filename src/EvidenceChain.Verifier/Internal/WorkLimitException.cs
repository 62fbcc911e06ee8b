namespace EvidenceChain.Verifier.Internal;

/// <summary>
/// A verification of untrusted input stopped because its <see cref="WorkBudget"/> ran out. The verifiers catch it
/// and report it as a failed step; it never leaves the assembly.
/// </summary>
internal sealed class WorkLimitException : Exception
{
    public WorkLimitException(string message)
        : base(message)
    {
    }

    public WorkLimitException()
    {
    }

    public WorkLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
