namespace EvidenceChain.Ledger.Timestamping;

/// <summary>
/// Where the tokens over published checkpoints are kept, in increasing tree size. A lost tail (after a crash) is
/// tolerated: the timestamper stamps the latest checkpoint again when it starts.
/// </summary>
/// <remarks>Implementations are thread-safe for one writer and any number of readers.</remarks>
public interface ITimestampStore
{
    /// <summary>The stamped checkpoint with the largest size, or null when none is stored.</summary>
    StoredTimestamp? Latest { get; }

    /// <summary>Appends stamped checkpoints, each larger than the last stored, and makes them durable.</summary>
    /// <exception cref="ArgumentException">A size is not larger than the one before it.</exception>
    Task AppendAsync(IReadOnlyList<StoredTimestamp> timestamps, CancellationToken cancellationToken);

    /// <summary>
    /// The first stamped checkpoint whose size is at least <paramref name="minimumSize"/>: for entry i, the earliest
    /// token that covers it is <c>FindCoveringAsync(i + 1)</c>. Null when none is stored yet.
    /// </summary>
    Task<StoredTimestamp?> FindCoveringAsync(ulong minimumSize, CancellationToken cancellationToken);
}
