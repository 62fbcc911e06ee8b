using EvidenceChain.Core.Notes;

namespace EvidenceChain.Verifier.Receipts;

/// <summary>A cosignature that verified over a receipt's checkpoint, by a witness its <see cref="WitnessPolicy"/> lists.</summary>
/// <param name="Witness">The witness's name in the policy.</param>
/// <param name="Key">The witness's cosigner key (its name is the one on the signature line).</param>
/// <param name="Time">The time the witness states it cosigned (POSIX seconds in the cosignature, as UTC).</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record VerifiedCosignature(string Witness, WitnessKey Key, DateTimeOffset Time);
