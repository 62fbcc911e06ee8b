using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Core.Keys;
using EvidenceChain.Ledger;
using Grpc.Core;

namespace EvidenceChain.Node.Auth;

/// <summary>
/// Issues, checks and revokes API keys. A key is <c>&lt;id&gt;.&lt;secret&gt;</c>: the id (<c>k</c> + 16 hex digits) is
/// public and names the key in entries and logs; the secret is 256 random bits in base64url, of which only the
/// SHA-256 is stored. Secrets are never logged. Every creation and revocation is first appended to the ledger as an
/// <c>api-key-event</c> entry (<see cref="ApiKeyEvent"/>, without secret or hash) and only then stored: a key whose
/// event could not be appended is never usable, and node.db can be checked against the ledger (evidencectl audit).
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class ApiKeyService : IDisposable
{
    private const int SecretBytes = 32;
    private const int MaxTokenLength = 128;
    private readonly IApiKeyStore _store;
    private readonly EvidenceLedger _ledger;
    private readonly EntryOpenings _openings;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writes = new(1, 1); // one create or revoke at a time: the ledger and node.db agree on order

    /// <summary>Creates the service over the node's key store, recording key events in <paramref name="ledger"/>.</summary>
    public ApiKeyService(IApiKeyStore store, EvidenceLedger ledger, EntryOpenings openings, TimeProvider time)
    {
        _store = store;
        _ledger = ledger;
        _openings = openings;
        _time = time;
    }

    /// <summary>True when no key exists yet (a new node).</summary>
    public bool IsEmpty => _store.Count == 0;

    /// <summary>Every key, oldest first.</summary>
    public IReadOnlyList<ApiKeyRecord> List() => _store.List();

    /// <summary>
    /// Creates a key on behalf of <paramref name="actor"/> (an admin key id, or <see cref="ApiKeyEvent.NodeActor"/>
    /// for the first admin key): appends its <c>create</c> event, then stores it, and returns it with its bearer
    /// token (shown once) and the event's ledger index.
    /// </summary>
    public async Task<(ApiKeyRecord Key, string Token, ulong EventIndex)> CreateAsync(Role role, string description, string actor)
    {
        var id = "k" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));
        var key = new ApiKeyRecord(id, Roles.Name(role), description, HashSecret(secret), _time.GetUtcNow(), null);
        var e = new ApiKeyEvent { Action = ApiKeyAction.Create, KeyId = id, Role = key.Role, Description = description, Actor = actor };
        await _writes.WaitAsync();
        try
        {
            // The description is committed like other descriptive fields (docs/formats.md §16).
            var draft = await _openings.SealAsync(e.ToDraft(), ["description"], CancellationToken.None);
            var appended = await _ledger.AppendAsync(draft, CancellationToken.None);
            await _store.AddAsync(key, CancellationToken.None);
            return (key, id + "." + secret, appended.Index);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Revokes a key on behalf of the admin key <paramref name="actor"/>: appends its <c>revoke</c> event, then stores the revocation.</summary>
    /// <exception cref="RpcException">NotFound, or FailedPrecondition when it is revoked already or the last valid admin key.</exception>
    public async Task<ApiKeyRecord> RevokeAsync(string id, string actor)
    {
        await _writes.WaitAsync();
        try
        {
            var key = _store.Find(id) ?? throw new RpcException(new Status(StatusCode.NotFound, $"There is no API key {Printable(id)}."));
            if (key.Revoked is { } at)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"API key {id} was already revoked at {at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}."));
            }

            if (key.Role == Roles.Name(Role.Admin) && !_store.List().Any(k => k.Id != id && k.Revoked is null && k.Role == key.Role))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"API key {id} is the last valid admin key; create another admin key before revoking it."));
            }

            var e = new ApiKeyEvent { Action = ApiKeyAction.Revoke, KeyId = id, Role = key.Role, Actor = actor };
            await _ledger.AppendAsync(e.ToDraft(), CancellationToken.None);
            return (await _store.RevokeAsync(id, _time.GetUtcNow(), CancellationToken.None))!;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// The description of key <paramref name="keyId"/> as people know it; "the node" for the node's own actor name, and
    /// empty for an id the node has no key for.
    /// </summary>
    public string DescriptionOf(string keyId) =>
        keyId == Core.Keys.ApiKeyEvent.NodeActor ? "the node" : _store.Find(keyId)?.Description ?? string.Empty;

    /// <summary>
    /// Checks the <c>authorization</c> header of a call that needs one of <paramref name="allowed"/>.
    /// </summary>
    /// <exception cref="RpcException">Unauthenticated (no, malformed, unknown, wrong or revoked key) or PermissionDenied (wrong role).</exception>
    public Caller Authenticate(string? authorization, IReadOnlyList<Role> allowed)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            throw Unauthenticated($"This call needs an API key with role {Describe(allowed)}: send the header \"authorization: Bearer <key>\".");
        }

        const string Scheme = "Bearer ";
        if (!authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw Unauthenticated("The authorization header must be \"Bearer <key>\".");
        }

        var token = authorization.AsSpan(Scheme.Length).Trim();
        var dot = token.IndexOf('.');
        if (dot <= 0 || dot == token.Length - 1 || token.Length > MaxTokenLength)
        {
            throw Unauthenticated("The API key is malformed: expected <id>.<secret>, as \"evidencectl keys create\" prints it.");
        }

        var id = token[..dot].ToString();
        var key = _store.Find(id);
        if (key is null || !CryptographicOperations.FixedTimeEquals(HashSecret(token[(dot + 1)..]).ToArray(), key.SecretHash.ToArray()))
        {
            throw Unauthenticated($"API key {Printable(id)} is unknown or its secret is wrong.");
        }

        if (key.Revoked is { } revoked)
        {
            throw Unauthenticated($"API key {id} was revoked at {revoked.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.");
        }

        if (!Roles.TryParse(key.Role, out var role) || !allowed.Contains(role))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"This call needs role {Describe(allowed)}; API key {id} has role {key.Role}."));
        }

        return new Caller(id, role);
    }

    /// <summary>
    /// The caller behind an optional <c>authorization</c> header of a public call (any role): null without the header.
    /// </summary>
    /// <exception cref="RpcException">Unauthenticated: a header was sent but its key is malformed, unknown, wrong or revoked.</exception>
    public Caller? TryAuthenticate(string? authorization) =>
        string.IsNullOrEmpty(authorization) ? null : Authenticate(authorization, [Role.Submitter, Role.CaseManager, Role.Admin]);

    /// <inheritdoc/>
    public void Dispose() => _writes.Dispose();

    private static string Describe(IReadOnlyList<Role> roles) => string.Join(" or ", roles.Select(Roles.Name));

    private static Hash HashSecret(ReadOnlySpan<char> secret)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(MaxTokenLength)];
        var n = Encoding.UTF8.GetBytes(secret, utf8);
        return new Hash(SHA256.HashData(utf8[..n]));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Printable(string id) => id.Length <= 40 && id.All(char.IsAsciiLetterOrDigit) ? id : "(malformed id)";

    private static RpcException Unauthenticated(string message) => new(new Status(StatusCode.Unauthenticated, message));
}
