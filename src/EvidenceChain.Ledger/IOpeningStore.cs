using EvidenceChain.Core;

namespace EvidenceChain.Ledger;

/// <summary>
/// Where the node keeps the openings (<see cref="Core.Entries.Disclosure"/>) of its entries' committed fields, each
/// entry's under a key: the hash of its first commitment in attribute order (docs/formats.md §8). Implementations are
/// thread-safe, keep what they hold readable by the node's user only, and are as private as the artefacts.
/// </summary>
public interface IOpeningStore
{
    /// <summary>Stores the encoded disclosure under <paramref name="key"/>, durably before it returns (replacing any).</summary>
    Task SaveAsync(Hash key, ReadOnlyMemory<byte> disclosure, CancellationToken cancellationToken);

    /// <summary>The encoded disclosure stored under <paramref name="key"/>, or null when there is none.</summary>
    Task<byte[]?> ReadAsync(Hash key, CancellationToken cancellationToken);
}
