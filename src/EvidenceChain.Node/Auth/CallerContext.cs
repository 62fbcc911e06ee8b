using Grpc.Core;

namespace EvidenceChain.Node.Auth;

/// <summary>Where <see cref="AuthInterceptor"/> leaves the authenticated caller for the service method.</summary>
internal static class CallerContext
{
    private static readonly object Key = new();

    /// <summary>The caller of a method marked with <see cref="RequireRoleAttribute"/>.</summary>
    /// <exception cref="InvalidOperationException">The method is public (a bug: it should not ask).</exception>
    public static Caller GetCaller(this ServerCallContext context) =>
        context.GetHttpContext().Items[Key] as Caller
        ?? throw new InvalidOperationException("No authenticated caller: the method lacks [RequireRole].");

    internal static void SetCaller(this ServerCallContext context, Caller caller) => context.GetHttpContext().Items[Key] = caller;
}
