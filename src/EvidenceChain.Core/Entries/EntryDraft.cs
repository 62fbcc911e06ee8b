namespace EvidenceChain.Core.Entries;

/// <summary>
/// What a submitter asks the ledger to record. The sequencer completes it into a leaf by adding the log
/// origin, the index, the previous leaf's hash and the node's time of receipt. Immutable.
/// </summary>
/// <param name="Kind">Entry kind: <c>file</c>, <c>webpage</c>, <c>case-event</c>, ... (lowercase letters, digits, '-').</param>
/// <param name="Submitter">Identifier of who submitted it (an API key id); may be empty.</param>
/// <param name="Artefacts">The artefacts the entry fixes; may be empty (case events).</param>
/// <param name="Attributes">Kind-specific fields in clear (URL, HTTP status, case id, ...); keys are unique.</param>
public sealed record EntryDraft(
    string Kind,
    string Submitter,
    IReadOnlyList<Artefact> Artefacts,
    IReadOnlyDictionary<string, string> Attributes)
{
    private static readonly IReadOnlyDictionary<string, Commitment> None = new Dictionary<string, Commitment>(StringComparer.Ordinal);

    /// <summary>
    /// Kind-specific fields held as salted commitments (format version 2, docs/formats.md §1.5): the leaf fixes their
    /// values without showing them. No name may also be in <see cref="Attributes"/>. Empty by default.
    /// </summary>
    public IReadOnlyDictionary<string, Commitment> Commitments { get; init; } = None;
}
