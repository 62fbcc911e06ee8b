using EvidenceChain.Ledger.Cases;
using EvidenceChain.Ledger.Jobs;
using EvidenceChain.Ledger.Search;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Ledger.Witnessing;

namespace EvidenceChain.Ledger;

/// <summary>
/// One storage backend's set of ports, opened by the node (the composition root) and handed to the ledger and the
/// node's services; nothing else knows which driver runs. <c>files</c> keeps everything in a data folder (Storage);
/// <c>postgres</c> in a PostgreSQL database. Key material (log, TSA, witness and document-signing keys) is not a port:
/// it stays in files in a keys folder for every driver, so a database dump or replica never carries a signing key.
/// </summary>
/// <remarks>
/// A driver is opened ready to use (its stores created or opened and checked, damage reported by the exception its
/// factory documents) and owns everything behind its ports: dispose it once the ledger and everything else using the
/// ports have stopped. The ports are thread-safe, as each port's documentation says.
/// </remarks>
public interface IStorageDriver : IAsyncDisposable
{
    /// <summary>The driver's name as settings spell it (<c>Storage:Driver</c>): <c>files</c> or <c>postgres</c>.</summary>
    string Name { get; }

    /// <summary>Where the data lives, for people and logs: a folder's full path, or a database's host and name. Never a password.</summary>
    string Location { get; }

    /// <summary>The log: tiles, entry bundles and the published checkpoint with its history.</summary>
    ILedgerStore Log { get; }

    /// <summary>Artefacts (the bytes of preserved files and captures), by SHA-256.</summary>
    IBlobStore Blobs { get; }

    /// <summary>The look-up index from leaf hashes and digests to entries.</summary>
    IEntryIndex Index { get; }

    /// <summary>The openings of committed fields.</summary>
    IOpeningStore Openings { get; }

    /// <summary>The RFC 3161 time-stamp tokens over checkpoints.</summary>
    ITimestampStore Timestamps { get; }

    /// <summary>The built-in TSA's serial numbers.</summary>
    ITsaSerialNumbers TsaSerials { get; }

    /// <summary>The witnesses' cosignatures of the latest cosigned checkpoint.</summary>
    ICosignatureStore Cosignatures { get; }

    /// <summary>The case events (a follower of the log, rebuilt from it when reset).</summary>
    ICaseStore Cases { get; }

    /// <summary>The search records (a follower of the log, rebuilt from it when reset).</summary>
    ISearchStore Search { get; }

    /// <summary>The API keys.</summary>
    IApiKeyStore ApiKeys { get; }

    /// <summary>The capture jobs and their progress (the node's own state, docs/formats.md §20).</summary>
    ICaptureJobStore Jobs { get; }

    /// <summary>The watches and their timelines (the node's own state, docs/formats.md §20).</summary>
    IWatchStore Watches { get; }

    /// <summary>
    /// How this process shares the log with other processes (front-ends that hand their appends to the one
    /// sequencer); null when the driver gives the log to one process only.
    /// </summary>
    ISequencerHandoff? Handoff => null;

    /// <summary>
    /// When <paramref name="exception"/>, thrown while something opened over these ports (the ledger, the case book), is
    /// damage of this driver's stored data, an exception whose message says in one line what is damaged and what to do;
    /// otherwise null (the caller rethrows <paramref name="exception"/>). Without an override, null.
    /// </summary>
    Exception? Diagnose(Exception exception) => null;
}
