namespace EvidenceChain.Ledger.Witnessing;

/// <summary>How the <see cref="CheckpointCosigner"/> paces its requests (the Node's <c>Witnesses</c> section).</summary>
public sealed class CosigningOptions
{
    /// <summary>How many witnesses must cosign a checkpoint for it to meet the policy (k of n). Default 1.</summary>
    public int Quorum { get; set; } = 1;

    /// <summary>
    /// The shortest time between two rounds (a round sends the latest checkpoint to every witness); checkpoints
    /// published in between are not sent, the next round's covers them. Default 1 s.
    /// </summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one request to a witness may take, connection included. Default 5 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait before a failed witness is asked again; it doubles with each failure in a row. Default 1 s.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts at a failing witness. Default 60 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The policy counts as met while at least <see cref="Quorum"/> witnesses have cosigned the latest checkpoint or
    /// cosigned some checkpoint within this time. Default 30 s.
    /// </summary>
    public TimeSpan MaxLag { get; set; } = TimeSpan.FromSeconds(30);
}
