namespace EvidenceChain.Core.Notes;

/// <summary>
/// A witness a <see cref="WitnessPolicy"/> lists (a <c>witness</c> line of c2sp.org/tlog-policy): the name the policy
/// calls it by, its cosigner key and an optional URL.
/// </summary>
/// <param name="Name">
/// The witness's name within the policy, used by groups and the quorum line; it need not be the key's name. Never
/// <c>none</c>, never white space.
/// </param>
/// <param name="Key">The witness's Ed25519 cosigner key (c2sp.org/tlog-cosignature), the vkey <c>name+hex8+base64(0x04 || key)</c>.</param>
/// <param name="Url">
/// The witness's submission prefix (c2sp.org/tlog-witness: a log posts to <c>URL/add-checkpoint</c>), an absolute
/// http or https URL; null when not given (verifiers need none).
/// </param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record PolicyWitness(string Name, WitnessKey Key, Uri? Url = null);
