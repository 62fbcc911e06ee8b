namespace EvidenceChain.Architecture.Tests;

/// <summary>
/// Pins each src assembly's public types to PublicSurface.txt, so that growing (or shrinking) a public surface is a
/// conscious choice: make a type internal unless another production assembly needs it, and update the file when one
/// does. The generated API types (<see cref="ProductionAssemblies.GeneratedApiNamespace"/>) follow the proto files.
/// </summary>
public sealed class PublicSurfaceTests
{
    [Fact]
    public void PublicTypes_AllAssemblies_MatchPublicSurfaceFile()
    {
        var pinned = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "PublicSurface.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToHashSet(StringComparer.Ordinal);
        var actual = ProductionAssemblies.All
            .SelectMany(p => AssemblyMetadata.Load(p.AssemblyName).PublicTypes
                .Where(t => !t.StartsWith(ProductionAssemblies.GeneratedApiNamespace + ".", StringComparison.Ordinal))
                .Select(t => $"{p.Project} {t}"))
            .ToHashSet(StringComparer.Ordinal);

        var added = actual.Except(pinned).Order(StringComparer.Ordinal).ToList();
        var removed = pinned.Except(actual).Order(StringComparer.Ordinal).ToList();

        Assert.True(
            added.Count == 0 && removed.Count == 0,
            "The public surface differs from tests/EvidenceChain.Architecture.Tests/PublicSurface.txt.\n"
            + $"Now public, not listed (make internal, or list if another production assembly needs it):\n{string.Join('\n', added)}\n"
            + $"Listed, no longer public (remove from the list):\n{string.Join('\n', removed)}");
    }
}
