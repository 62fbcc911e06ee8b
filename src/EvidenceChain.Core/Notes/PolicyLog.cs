namespace EvidenceChain.Core.Notes;

/// <summary>
/// A log a <see cref="WitnessPolicy"/> accepts (a <c>log</c> line of c2sp.org/tlog-policy): its verifier key, whose
/// name is the log's origin, and an optional URL.
/// </summary>
/// <param name="Key">The log's verifier key (the node's keys/log.vkey); its name is the log's origin line.</param>
/// <param name="Url">Where the log is reached, an absolute http or https URL; null when not given (offline use).</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record PolicyLog(NoteVerifier Key, Uri? Url = null);
