using EvidenceChain.Core;
using EvidenceChain.Core.Entries;

namespace EvidenceChain.Ledger;

/// <summary>
/// Keeps descriptive fields out of the public log (docs/formats.md §1.5): <see cref="SealAsync"/> replaces them in a
/// draft by salted commitments and stores their openings durably before the entry is appended (as a blob is stored
/// before the entry that lists it); <see cref="ReadAsync"/> and <see cref="RevealAsync"/> give them back for callers
/// allowed to see the entry. Salts come from the randomness source handed in; this class makes none.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class EntryOpenings
{
    private readonly IOpeningStore _store;
    private readonly Action<Span<byte>> _random;

    /// <summary>Creates the service over <paramref name="store"/>.</summary>
    /// <param name="store">Where openings are kept.</param>
    /// <param name="algorithm">The commitment hash: SHA-256, or SM3 under the national crypto profile.</param>
    /// <param name="random">Fills a span with cryptographically secure random bytes (the node passes <c>RandomNumberGenerator.Fill</c>).</param>
    public EntryOpenings(IOpeningStore store, CommitmentAlgorithm algorithm, Action<Span<byte>> random)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(random);
        _store = store;
        _random = random;
        Algorithm = algorithm;
    }

    /// <summary>The commitment hash new entries use.</summary>
    public CommitmentAlgorithm Algorithm { get; }

    /// <summary>The key an entry's openings are stored under: its first commitment in attribute order; null when it commits nothing.</summary>
    public static Hash? KeyOf(EntryDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return draft.Commitments.Count == 0 ? null : draft.Commitments.MinBy(c => c.Key, StringComparer.Ordinal).Value.Value;
    }

    /// <summary>
    /// Commits the attributes of <paramref name="draft"/> named in <paramref name="fields"/> and stores their openings
    /// durably; returns the draft to append. A draft with none of those attributes is returned as it is.
    /// </summary>
    public async Task<EntryDraft> SealAsync(EntryDraft draft, IEnumerable<string> fields, CancellationToken cancellationToken)
    {
        var (sealedDraft, disclosure) = Disclosure.Seal(draft, fields, Algorithm, _random);
        if (KeyOf(sealedDraft) is { } key)
        {
            await _store.SaveAsync(key, disclosure.Encode(), cancellationToken);
        }

        return sealedDraft;
    }

    /// <summary>
    /// The stored openings of <paramref name="entry"/>, checked against its commitments: null when it commits nothing
    /// (a version-1 leaf, or no descriptive field).
    /// </summary>
    /// <exception cref="LedgerCorruptException">The openings are missing, malformed or do not match the leaf.</exception>
    public async Task<Disclosure?> ReadAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (KeyOf(entry.Draft) is not { } key)
        {
            return null;
        }

        var bytes = await _store.ReadAsync(key, cancellationToken)
            ?? throw new LedgerCorruptException($"The openings of entry {entry.Index} (openings/{key}) are missing; run evidencectl audit.");
        Disclosure disclosure;
        try
        {
            disclosure = Disclosure.Parse(bytes);
        }
        catch (FormatException e)
        {
            throw new LedgerCorruptException($"The openings of entry {entry.Index} (openings/{key}) are damaged: {e.Message}; run evidencectl audit.", e);
        }

        var check = disclosure.Check(entry);
        if (!check.IsValid || check.Unopened.Count > 0)
        {
            throw new LedgerCorruptException(
                $"The openings of entry {entry.Index} (openings/{key}) do not match its leaf: {check.Problem ?? "they leave " + string.Join(", ", check.Unopened) + " unopened"}; run evidencectl audit.");
        }

        return disclosure;
    }

    /// <summary><paramref name="entry"/> with its committed fields in clear (<see cref="Disclosure.Reveal"/>).</summary>
    /// <exception cref="LedgerCorruptException">The openings are missing, malformed or do not match the leaf.</exception>
    public async Task<LedgerEntry> RevealAsync(LedgerEntry entry, CancellationToken cancellationToken) =>
        await ReadAsync(entry, cancellationToken) is { } disclosure ? disclosure.Reveal(entry) : entry;
}
