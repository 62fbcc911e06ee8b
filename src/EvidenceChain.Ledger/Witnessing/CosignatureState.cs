namespace EvidenceChain.Ledger.Witnessing;

/// <summary>The cosigner's durable state (<see cref="ICosignatureStore"/>). Immutable.</summary>
/// <param name="Latest">The newest checkpoint that has at least one cosignature, with them; null when none has.</param>
/// <param name="Quorum">The newest checkpoint with cosignatures from at least the quorum of witnesses; null when none has.</param>
/// <param name="Witnesses">Per witness, the size it last cosigned.</param>
public sealed record CosignatureState(CosignedCheckpoint? Latest, CosignedCheckpoint? Quorum, IReadOnlyList<WitnessRecord> Witnesses)
{
    /// <summary>Nothing cosigned yet.</summary>
    public static CosignatureState Empty { get; } = new(null, null, []);
}
