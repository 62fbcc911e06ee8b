using System.Collections.Concurrent;
using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Internal;
using LiteDB;

namespace EvidenceChain.Storage;

/// <summary>
/// API keys in the node's state file (<see cref="DataFolder.StatePath"/>), collection <c>apikeys</c>. Every key is
/// also held in memory, so authenticating a call reads no file. Each write is checkpointed into the data file
/// before it returns (LiteDB 5 does not fsync its log).
/// </summary>
/// <remarks>Thread-safe. Hold the <see cref="DataFolder"/> lock: one process per file.</remarks>
public sealed class ApiKeyStore : IApiKeyStore, IDisposable
{
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _keys;
    private readonly ConcurrentDictionary<string, ApiKeyRecord> _cache = new(StringComparer.Ordinal);
    private readonly Lock _writeLock = new();

    /// <summary>Opens or creates the state file at <paramref name="path"/>.</summary>
    public ApiKeyStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        OwnerOnly.PreCreateLiteDb(path); // LiteDB would create it 0644
        _db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        try
        {
            _keys = _db.GetCollection("apikeys");
            foreach (var doc in _keys.FindAll())
            {
                var key = FromBson(doc);
                _cache[key.Id] = key;
            }
        }
        catch
        {
            Internal.LiteDbQuirks.Abandon(_db);
            throw;
        }
    }

    /// <summary>The number of keys, revoked ones included.</summary>
    public int Count => _cache.Count;

    /// <summary>The key with this id, or null.</summary>
    public ApiKeyRecord? Find(string id) => _cache.TryGetValue(id, out var key) ? key : null;

    /// <summary>Every key, oldest first.</summary>
    public IReadOnlyList<ApiKeyRecord> List() => [.. _cache.Values.OrderBy(k => k.Created).ThenBy(k => k.Id, StringComparer.Ordinal)];

    /// <inheritdoc/>
    public Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        Add(key);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<ApiKeyRecord?> RevokeAsync(string id, DateTimeOffset revoked, CancellationToken cancellationToken) =>
        Task.FromResult(Revoke(id, revoked));

    /// <summary>Stores a new key durably.</summary>
    /// <exception cref="ArgumentException">A key with this id exists.</exception>
    public void Add(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_writeLock)
        {
            if (_cache.ContainsKey(key.Id))
            {
                throw new ArgumentException($"API key {key.Id} already exists.", nameof(key));
            }

            _keys.Insert(ToBson(key));
            _db.Checkpoint();
            _cache[key.Id] = key;
        }
    }

    /// <summary>Marks a key revoked at <paramref name="when"/>, durably, and returns it; null when there is no such key.</summary>
    /// <exception cref="InvalidOperationException">The key is already revoked.</exception>
    public ApiKeyRecord? Revoke(string id, DateTimeOffset when)
    {
        lock (_writeLock)
        {
            if (!_cache.TryGetValue(id, out var key))
            {
                return null;
            }

            if (key.Revoked is { } at)
            {
                throw new InvalidOperationException($"API key {id} was already revoked at {at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.");
            }

            var revoked = key with { Revoked = when };
            _keys.Update(ToBson(revoked));
            _db.Checkpoint();
            _cache[id] = revoked;
            return revoked;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _db.Dispose();

    private static BsonDocument ToBson(ApiKeyRecord key) => new()
    {
        ["_id"] = key.Id,
        ["role"] = key.Role,
        ["description"] = key.Description,
        ["secretSha256"] = new BsonValue(key.SecretHash.ToArray()),
        ["created"] = key.Created.UtcTicks,
        ["revoked"] = key.Revoked is { } r ? new BsonValue(r.UtcTicks) : BsonValue.Null,
    };

    private static ApiKeyRecord FromBson(BsonDocument doc) => new(
        doc["_id"].AsString,
        doc["role"].AsString,
        doc["description"].AsString,
        new Hash(doc["secretSha256"].AsBinary),
        new DateTimeOffset(doc["created"].AsInt64, TimeSpan.Zero),
        doc["revoked"].IsNull ? null : new DateTimeOffset(doc["revoked"].AsInt64, TimeSpan.Zero));
}
