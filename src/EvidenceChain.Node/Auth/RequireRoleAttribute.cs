namespace EvidenceChain.Node.Auth;

/// <summary>
/// Marks a gRPC method as needing an API key with one of <see cref="Roles"/>. Methods without it are public.
/// Checked by <see cref="AuthInterceptor"/> for gRPC and JSON calls alike.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class RequireRoleAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public RequireRoleAttribute(params Role[] roles) => Roles = roles;

    /// <summary>The roles allowed.</summary>
    public IReadOnlyList<Role> Roles { get; }
}
