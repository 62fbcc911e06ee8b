namespace EvidenceChain.Ledger.Witnessing;

/// <summary>How cosigning is going. Immutable.</summary>
/// <param name="Quorum">The number of witnesses whose cosignatures meet the policy.</param>
/// <param name="Witnesses">Each witness, in the configured order.</param>
/// <param name="QuorumSize">The size of the newest checkpoint that meets the quorum, if any.</param>
/// <param name="PolicyMet">True while at least <paramref name="Quorum"/> witnesses cosign recent checkpoints.</param>
/// <param name="Problem">Why the policy is not met, or which witness reported a conflict; null when all is well.</param>
public sealed record CosigningStatus(int Quorum, IReadOnlyList<WitnessStatus> Witnesses, ulong? QuorumSize, bool PolicyMet, string? Problem)
{
    /// <summary>True when the policy is met and no witness reported a conflict.</summary>
    public bool IsHealthy => Problem is null;
}
