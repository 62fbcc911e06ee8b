namespace EvidenceChain.Architecture.Tests;

/// <summary>One forbidden use: the rule entry it breaks and what the assembly references.</summary>
internal sealed record Violation(string Entry, string Use)
{
    public override string ToString() => $"{Use}  [forbidden: {Entry}]";
}
