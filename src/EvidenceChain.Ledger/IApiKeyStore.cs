namespace EvidenceChain.Ledger;

/// <summary>
/// Where the node keeps its API keys (<see cref="ApiKeyRecord"/>: everything but the secret, of which only the SHA-256
/// is kept). The node appends each key's create or revoke event to the ledger first and only then stores it here, one
/// write at a time.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="Find"/> runs on every authenticated call, so implementations answer it from memory; one
/// shared by several processes also answers for keys another process stored (looking a missed id up in its backing
/// store, for example).
/// </remarks>
public interface IApiKeyStore
{
    /// <summary>The number of keys, revoked ones included.</summary>
    int Count { get; }

    /// <summary>The key with this id, or null.</summary>
    ApiKeyRecord? Find(string id);

    /// <summary>Every key, oldest first (by <see cref="ApiKeyRecord.Created"/>, then by id in ordinal order).</summary>
    IReadOnlyList<ApiKeyRecord> List();

    /// <summary>Stores a new key, durably before it completes.</summary>
    /// <exception cref="ArgumentException">A key with this id exists.</exception>
    Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>Marks a key revoked at <paramref name="revoked"/>, durably before it completes, and returns it; null when there is no such key.</summary>
    /// <exception cref="InvalidOperationException">The key is already revoked.</exception>
    Task<ApiKeyRecord?> RevokeAsync(string id, DateTimeOffset revoked, CancellationToken cancellationToken);
}
