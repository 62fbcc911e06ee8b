namespace EvidenceChain.Ledger.Witnessing;

/// <summary>How one witness is doing. Immutable.</summary>
/// <param name="Name">The witness's name.</param>
/// <param name="CosignedSize">The size of the latest checkpoint it cosigned for this log (0: none).</param>
/// <param name="LastSuccess">When it last returned a cosignature (this run of the node).</param>
/// <param name="LastFailure">When the latest request failed; null once a later one succeeded.</param>
/// <param name="LastError">Why the latest request failed; null once a later one succeeded.</param>
/// <param name="Conflict">
/// Set when the witness holds a checkpoint this log cannot be consistent with (a larger size, or another tree): a
/// split view or a rewritten log. Null otherwise.
/// </param>
public sealed record WitnessStatus(
    string Name, ulong CosignedSize, DateTimeOffset? LastSuccess, DateTimeOffset? LastFailure, string? LastError, string? Conflict);
