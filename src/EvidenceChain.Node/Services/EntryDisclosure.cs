using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger;
using EvidenceChain.Node.Auth;
using Grpc.Core;

namespace EvidenceChain.Node.Services;

/// <summary>
/// Who gets the clear values of an entry's committed fields (docs/formats.md §1.5): a caller that may see the entry's
/// artefacts (<see cref="ArtefactAccess.MaySee"/>). Public calls take an optional API key for this.
/// </summary>
internal sealed class EntryDisclosure(ApiKeyService keys, EntryOpenings openings)
{
    /// <summary>The caller of a public gRPC or transcoded call, from its optional <c>authorization</c> header; null without one.</summary>
    /// <exception cref="RpcException">Unauthenticated: the header's key is not valid.</exception>
    public Caller? Reader(ServerCallContext context) => Reader(context.GetHttpContext());

    /// <summary>The caller of a public HTTP request, from its optional <c>authorization</c> header; null without one.</summary>
    /// <exception cref="RpcException">Unauthenticated: the header's key is not valid.</exception>
    public Caller? Reader(HttpContext http) => keys.TryAuthenticate(http.Request.Headers.Authorization.ToString());

    /// <summary>The checked openings of <paramref name="entry"/> when <paramref name="caller"/> may see them; else null.</summary>
    /// <exception cref="LedgerCorruptException">The stored openings are missing or do not match the leaf.</exception>
    public Task<Disclosure?> ForAsync(Caller? caller, LedgerEntry entry, CancellationToken cancellationToken) =>
        ArtefactAccess.MaySee(caller, entry) ? openings.ReadAsync(entry, cancellationToken) : Task.FromResult<Disclosure?>(null);
}
