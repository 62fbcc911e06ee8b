namespace EvidenceChain.Storage;

/// <summary>One problem an audit found.</summary>
/// <param name="Where">The file (relative to the data folder) and, where it applies, the entry or position.</param>
/// <param name="What">What is wrong.</param>
public sealed record AuditProblem(string Where, string What)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Where}: {What}";
}
