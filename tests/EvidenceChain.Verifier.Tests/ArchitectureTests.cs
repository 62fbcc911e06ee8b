using System.Reflection;

namespace EvidenceChain.Verifier.Tests;

/// <summary>Keeps the dependency arrows of docs/design.md §1 honest: a court must be able to run Core + Verifier alone.</summary>
public sealed class ArchitectureTests
{
    [Theory]
    [InlineData("EvidenceChain.Core", new[] { "BouncyCastle.Cryptography" })]
    [InlineData("EvidenceChain.Verifier", new[] { "EvidenceChain.Core" })]
    public void Assembly_ReferencesOnlyWhatItMay(string name, string[] allowed)
    {
        var assembly = Assembly.Load(name);

        var outside = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => !n.StartsWith("System", StringComparison.Ordinal) && n != "netstandard" && n != "mscorlib")
            .Except(allowed)
            .ToList();

        Assert.Empty(outside);
    }
}
