namespace EvidenceChain.Ledger.Timestamping;

/// <summary>Which checkpoints get a token.</summary>
public enum TimestampingMode
{
    /// <summary>Every published checkpoint, in order (the built-in TSA).</summary>
    EveryCheckpoint,

    /// <summary>The latest checkpoint, once per interval when the log has grown (an external TSA).</summary>
    Cadence,
}
