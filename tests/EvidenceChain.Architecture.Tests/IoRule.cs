namespace EvidenceChain.Architecture.Tests;

/// <summary>
/// A kind of I/O an assembly must not do, as the types and members that do it. A type is forbidden by its full name or
/// by its namespace (and the namespaces below it); a member by <c>Type::Name</c> (any overload) or by a prefix of
/// <c>Type::Name(ParameterTypes)</c>, e.g. <c>System.IO.StreamReader::.ctor(System.String</c> for the constructors that
/// open a file by path.
/// </summary>
internal sealed class IoRule
{
    public IoRule(string name, string[] namespaces, string[] types, string[] members)
    {
        Name = name;
        Namespaces = namespaces;
        Types = types;
        Members = members;
    }

    public string Name { get; }

    public IReadOnlyList<string> Namespaces { get; }

    public IReadOnlyList<string> Types { get; }

    public IReadOnlyList<string> Members { get; }

    /// <summary>Every forbidden entry, as the violation text names it (for the tests that show each can fail).</summary>
    public IEnumerable<string> Entries => Namespaces.Select(n => n + ".*").Concat(Types).Concat(Members);

    /// <summary>
    /// The forbidden types and members <paramref name="assembly"/> references, one line each, naming the type and the
    /// members used on it, and the rule entry it breaks.
    /// </summary>
    public IReadOnlyList<Violation> Check(AssemblyMetadata assembly)
    {
        var violations = new List<Violation>();
        foreach (var type in assembly.TypeReferences)
        {
            if (ForbiddenBy(type) is { } entry)
            {
                var used = assembly.MemberReferences.Where(m => m.StartsWith(type + "::", StringComparison.Ordinal)).ToList();
                violations.Add(new Violation(entry, used.Count == 0 ? type : $"{type} ({string.Join(", ", used)})"));
            }
        }

        foreach (var member in assembly.MemberReferences)
        {
            var entry = Members.FirstOrDefault(m => Matches(m, member));
            if (entry is not null)
            {
                violations.Add(new Violation(entry, member));
            }
        }

        return violations;
    }

    public override string ToString() => Name;

    private string? ForbiddenBy(string type)
    {
        var outer = type.Split('/')[0];
        if (Types.Contains(outer))
        {
            return outer;
        }

        var dot = outer.LastIndexOf('.');
        var ns = dot < 0 ? string.Empty : outer[..dot];
        return Namespaces.FirstOrDefault(n => ns == n || ns.StartsWith(n + ".", StringComparison.Ordinal)) is { } forbidden ? forbidden + ".*" : null;
    }

    private static bool Matches(string entry, string member) =>
        member.StartsWith(entry, StringComparison.Ordinal) && (entry.Contains('(', StringComparison.Ordinal) || member[entry.Length] == '(' || member.Length == entry.Length);
}
