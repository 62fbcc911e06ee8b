namespace EvidenceChain.Architecture.Tests;

/// <summary>
/// Keeps the arrows of DESIGN.md §1 honest, per project: what it may reference, what I/O it may do, and that its types
/// live under its own namespace. A court must be able to run Core + Verifier alone, and they must not touch the
/// machine they run on. The rules are in <see cref="ProductionAssemblies"/>; <see cref="ConventionTests"/> shows that
/// each check can fail.
/// </summary>
public sealed class ArchitectureTests
{
    public static TheoryData<string> Projects => [.. ProductionAssemblies.All.Select(p => p.Project)];

    [Theory]
    [MemberData(nameof(Projects))]
    public void Assembly_References_AreExactlyItsAllowList(string project)
    {
        var (expected, assembly) = Load(project);

        AssertNone(expected, Conventions.ReferenceDrift(assembly, expected.References), "(allow-lists: ProductionAssemblies.cs)");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Assembly_Io_KeepsToItsRules(string project)
    {
        var (expected, assembly) = Load(project);

        AssertNone(expected, Conventions.IoViolations(assembly, expected.IoRules, expected.KnownIoViolations), "(rules: IoRules.cs; known breaches: ProductionAssemblies.cs)");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Assembly_Types_LiveUnderItsRootNamespace(string project)
    {
        var (expected, assembly) = Load(project);

        AssertNone(expected, Conventions.TypesOutside(assembly, expected.RootNamespace), string.Empty);
    }

    private static (ProductionAssembly Expected, AssemblyMetadata Assembly) Load(string project)
    {
        var expected = ProductionAssemblies.All.Single(p => p.Project == project);
        return (expected, AssemblyMetadata.Load(expected.AssemblyName));
    }

    private static void AssertNone(ProductionAssembly project, IReadOnlyList<string> problems, string where) =>
        Assert.True(problems.Count == 0, $"{project.Project} ({project.AssemblyName}.dll) {where}:\n  {string.Join("\n  ", problems.Select(p => project.Project + " " + p))}");
}
