namespace EvidenceChain.Ledger;

/// <summary>Sequencer settings.</summary>
public sealed class LedgerOptions
{
    /// <summary>A batch closes when it holds this many entries. Default 1024.</summary>
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>A batch closes this long after its first entry arrived, if not full. Default 10 ms.</summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Appends waiting for a batch beyond this are refused with <see cref="LedgerBusyException"/>. Default 65,536.</summary>
    public int MaxPendingAppends { get; set; } = 65_536;

    /// <summary>Full tiles kept in memory for proofs and reads. Default 4,096 (about 64 MiB: each tile is kept with the levels it spans).</summary>
    public int TileCacheSize { get; set; } = 4096;
}
