namespace EvidenceChain.Architecture.Tests;

/// <summary>The checks of <see cref="ArchitectureTests"/>, each returning what is wrong (empty when all is well).</summary>
internal static class Conventions
{
    /// <summary>Referenced assemblies missing from <paramref name="allowed"/>, then listed ones no longer referenced.</summary>
    public static IReadOnlyList<string> ReferenceDrift(AssemblyMetadata assembly, IReadOnlyCollection<string> allowed) =>
    [
        .. assembly.AssemblyReferences.Except(allowed, StringComparer.Ordinal).Select(a => $"references {a}, which is not in its allow-list"),
        .. allowed.Except(assembly.AssemblyReferences, StringComparer.Ordinal).Select(a => $"no longer references {a}: remove it from the allow-list"),
    ];

    /// <summary>Every forbidden type or member <paramref name="assembly"/> references, per rule.</summary>
    public static IReadOnlyList<string> IoViolations(AssemblyMetadata assembly, IEnumerable<IoRule> rules) =>
        IoViolations(assembly, rules, []);

    /// <summary>
    /// Every forbidden type or member <paramref name="assembly"/> references that is not among <paramref name="known"/>,
    /// then every known breach that is gone (so that its entry is removed and cannot excuse a new one).
    /// </summary>
    public static IReadOnlyList<string> IoViolations(AssemblyMetadata assembly, IEnumerable<IoRule> rules, IReadOnlyCollection<string> known)
    {
        var found = rules.SelectMany(rule => rule.Check(assembly).Select(v => (Rule: rule, Violation: v))).ToList();
        return
        [
            .. found.Where(f => !known.Contains(f.Violation.Use)).Select(f => $"breaks '{f.Rule.Name}': {f.Violation}"),
            .. known.Except(found.Select(f => f.Violation.Use)).Select(k => $"no longer breaks its rules with {k}: remove it from the known breaches"),
        ];
    }

    /// <summary>Types defined outside <paramref name="root"/> (and outside the generated API namespace).</summary>
    public static IReadOnlyList<string> TypesOutside(AssemblyMetadata assembly, string root) =>
    [
        .. assembly.DefinedTypes
            .Where(t => !IsUnder(t.Namespace, root) && t.Namespace != ProductionAssemblies.GeneratedApiNamespace)
            .Select(t => $"defines {t} outside {root}"),
    ];

    private static bool IsUnder(string ns, string root) => ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);
}
