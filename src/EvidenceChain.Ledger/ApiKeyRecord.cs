using EvidenceChain.Core;

namespace EvidenceChain.Ledger;

/// <summary>A stored API key: everything but its secret, of which only the SHA-256 is kept. Immutable.</summary>
/// <param name="Id">Public identifier, recorded as the submitter of what the key does.</param>
/// <param name="Role">The role name the node authorises by.</param>
/// <param name="Description">Free text for people.</param>
/// <param name="SecretHash">SHA-256 of the secret (secrets are 256 random bits, so a fast hash suffices).</param>
/// <param name="Created">When the key was made.</param>
/// <param name="Revoked">When it was revoked; null while valid.</param>
public sealed record ApiKeyRecord(string Id, string Role, string Description, Hash SecretHash, DateTimeOffset Created, DateTimeOffset? Revoked);
