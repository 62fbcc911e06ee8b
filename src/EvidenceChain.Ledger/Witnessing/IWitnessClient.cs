using EvidenceChain.Core;

namespace EvidenceChain.Ledger.Witnessing;

/// <summary>
/// One witness, as the log sees it (C2SP tlog-witness, <c>add-checkpoint</c>): the port the
/// <see cref="CheckpointCosigner"/> submits checkpoints through. The Node implements it over HTTP.
/// </summary>
/// <remarks>Implementations are thread-safe; the cosigner makes at most one call at a time per witness.</remarks>
public interface IWitnessClient
{
    /// <summary>The witness's name (its cosigner key's name), as logs and health show it.</summary>
    string Name { get; }

    /// <summary>
    /// Submits <paramref name="signedCheckpoint"/> with a consistency proof from <paramref name="oldSize"/> (empty when
    /// <paramref name="oldSize"/> is 0 or the checkpoint's size) and returns the witness's answer. A cosignature is
    /// returned only once it verified under the witness's key over this checkpoint.
    /// </summary>
    /// <exception cref="WitnessException">The witness could not be reached or answered something else than the protocol allows.</exception>
    Task<WitnessAnswer> AddCheckpointAsync(ulong oldSize, IReadOnlyList<Hash> proof, string signedCheckpoint, CancellationToken cancellationToken);
}
