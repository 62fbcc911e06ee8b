using EvidenceChain.Core.Notes;
using EvidenceChain.Verifier.Timestamps;

namespace EvidenceChain.Verifier.Receipts;

/// <summary>
/// The trust anchors a verifier pins for <see cref="ReceiptVerifier"/>: never taken from the receipt itself.
/// </summary>
/// <remarks>Immutable once built; thread-safe.</remarks>
public sealed class ReceiptTrust
{
    /// <summary>The log's Ed25519 verifier key (the node's keys/log.vkey).</summary>
    public required NoteVerifier LogKey { get; init; }

    /// <summary>
    /// The pinned TSA CA certificates; the timestamp's signer must chain to one of them at genTime. Empty by default,
    /// and then a given timestamp fails ("no TSA CA is pinned").
    /// </summary>
    public IReadOnlyList<TsaCertificate> TsaCas { get; init; } = [];

    /// <summary>
    /// Further checks of the signed checkpoint note, each reported as one step after the checkpoint signature: for
    /// example the SM2 signature line under a pinned SM2 key (national profile). None by default.
    /// </summary>
    public IReadOnlyList<Func<string, VerificationStep>> CheckpointChecks { get; init; } = [];

    /// <summary>
    /// The witness policy (a C2SP tlog-policy file, docs/formats.md §6c) the checkpoint's cosignatures must meet: the
    /// <c>witnesses</c> step passes only when valid cosignatures by distinct listed witnesses over the proof's very
    /// checkpoint meet its quorum. Null by default, and then the step is skipped.
    /// </summary>
    public WitnessPolicy? Witnesses { get; init; }

    /// <summary>
    /// The clock a cosignature's time is compared with: one more than 10 minutes ahead of it is not counted.
    /// <see cref="TimeProvider.System"/> by default.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
