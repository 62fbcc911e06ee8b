namespace EvidenceChain.Node.Auth;

/// <summary>The wire names of <see cref="Role"/>: <c>submitter</c>, <c>case-manager</c>, <c>admin</c>.</summary>
internal static class Roles
{
    /// <summary>The role's wire name.</summary>
    public static string Name(Role role) => role switch
    {
        Role.Submitter => "submitter",
        Role.CaseManager => "case-manager",
        Role.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };

    /// <summary>Parses a wire name (exact, lowercase).</summary>
    public static bool TryParse(string? name, out Role role)
    {
        (var ok, role) = name switch
        {
            "submitter" => (true, Role.Submitter),
            "case-manager" => (true, Role.CaseManager),
            "admin" => (true, Role.Admin),
            _ => (false, default),
        };
        return ok;
    }
}
