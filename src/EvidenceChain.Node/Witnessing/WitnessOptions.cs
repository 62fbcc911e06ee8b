namespace EvidenceChain.Node.Witnessing;

/// <summary>
/// The witnesses the node asks to cosign its checkpoints (configuration section <c>Witnesses</c>), e.g.
/// <c>--Witnesses:List:0:Key court.example/w+1a2b3c4d+BASE64 --Witnesses:List:0:Url https://court.example/witness
/// --Witnesses:Quorum 2</c>. No list: no witnessing.
/// </summary>
internal sealed class WitnessOptions
{
    /// <summary>The witnesses; none by default.</summary>
    public List<WitnessEntry> List { get; set; } = [];

    /// <summary>How many of them must cosign a checkpoint for it to meet the policy (k of n). Default: all of them.</summary>
    public int? Quorum { get; set; }

    /// <summary>The shortest time between two cosigning rounds. Default 1 s.</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time allowed for one request to a witness. Default 5 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest back-off between attempts at a failing witness (from 1 s, doubling). Default 60 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How old the quorum's latest cosignatures may be before health reports the policy unmet. Default 30 s.</summary>
    public TimeSpan MaxLag { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a receipt request that asks to wait may wait for a checkpoint meeting the quorum, while the policy is
    /// met; then (or at once while it is not) it gets the earliest timestamped checkpoint. Default 5 s.
    /// </summary>
    public TimeSpan ReceiptWait { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>One witness: its cosigner key and where it listens.</summary>
internal sealed class WitnessEntry
{
    /// <summary>Its cosigner verifier key, <c>name+hex8+base64(0x04 || public key)</c> (C2SP tlog-cosignature).</summary>
    public string? Key { get; set; }

    /// <summary>Its submission prefix: <c>POST {Url}/add-checkpoint</c>.</summary>
    public Uri? Url { get; set; }
}
