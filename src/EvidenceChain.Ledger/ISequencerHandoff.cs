namespace EvidenceChain.Ledger;

/// <summary>
/// A log shared by several processes (front-ends): exactly one of them sequences it at a time (it holds the log's
/// sequencer lease); the others hand their appends to it through the storage and follow the published log. A driver
/// that supports this gives one (<see cref="IStorageDriver.Handoff"/>); <see cref="EvidenceLedger"/> uses it.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public interface ISequencerHandoff
{
    /// <summary>
    /// Completes when this process holds the log's sequencer lease: at once for the process that took it at open,
    /// later for a standby that takes it over when the sequencer stops or dies. Never faults.
    /// </summary>
    Task Sequencing { get; }

    /// <summary>
    /// Queues an entry for the sequencer and completes with the index it was given once the sequencer published a
    /// checkpoint that covers it. <paramref name="draftLeaf"/> is the entry encoded with index 0 and no previous
    /// hash; the sequencer fixes index, previous hash and time. Cancelling stops the wait, not the append.
    /// </summary>
    /// <exception cref="ArgumentException">The sequencer refused the entry; the message says why.</exception>
    Task<ulong> SubmitAsync(byte[] draftLeaf, CancellationToken cancellationToken);

    /// <summary>Completes when the log's published checkpoint may have changed (a notification, or a short poll interval).</summary>
    Task WaitForPublishAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The sequencer's side, run by <paramref name="ledger"/> once <see cref="Sequencing"/> completed: settles the
    /// appends a previous sequencer had taken but not answered, then appends every queued entry with
    /// <see cref="EvidenceLedger.AppendHandedOffAsync"/> and answers its front-end, until <paramref name="cancellationToken"/>
    /// fires (then it finishes the appends it took and returns).
    /// </summary>
    Task RunSequencerAsync(EvidenceLedger ledger, CancellationToken cancellationToken);
}
