namespace EvidenceChain.Node.Auth;

/// <summary>The authenticated API key behind a call. Immutable.</summary>
/// <param name="KeyId">The key's public id (recorded as the submitter of what it does).</param>
/// <param name="Role">The key's role.</param>
internal sealed record Caller(string KeyId, Role Role);
