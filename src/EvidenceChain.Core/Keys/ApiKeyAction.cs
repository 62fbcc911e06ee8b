namespace EvidenceChain.Core.Keys;

/// <summary>What an <see cref="ApiKeyEvent"/> does to a key.</summary>
public enum ApiKeyAction
{
    /// <summary>The key was made (wire name <c>create</c>).</summary>
    Create,

    /// <summary>The key was revoked (wire name <c>revoke</c>).</summary>
    Revoke,
}
