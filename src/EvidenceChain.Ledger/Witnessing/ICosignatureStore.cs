namespace EvidenceChain.Ledger.Witnessing;

/// <summary>
/// Where the log keeps the cosignatures its witnesses returned: the newest cosigned checkpoint, the newest one that
/// meets the quorum, and each witness's last cosigned size. Storage implements it beside the checkpoints.
/// </summary>
/// <remarks>Implementations are thread-safe for one writer and any number of readers.</remarks>
public interface ICosignatureStore
{
    /// <summary>The state last saved, or <see cref="CosignatureState.Empty"/>.</summary>
    CosignatureState Current { get; }

    /// <summary>Replaces the state and makes it durable before returning.</summary>
    Task SaveAsync(CosignatureState state, CancellationToken cancellationToken);
}
