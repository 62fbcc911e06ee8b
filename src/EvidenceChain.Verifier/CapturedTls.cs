namespace EvidenceChain.Verifier;

/// <summary>
/// What a web capture's WARC recorded of the TLS handshake with the final URL's server (its
/// <c>urn:evidencechain:tls:</c> resource record, docs/formats.md §9): set on <see cref="VerificationReport.Tls"/> only
/// when that WARC's artefact digest and every record digest matched, so it is what the ledger fixed. Untrusted text:
/// escape before display.
/// </summary>
/// <param name="Url">The https URL the handshake was for.</param>
/// <param name="Protocol">The record's <c>protocol:</c> line, for example <c>Tls13</c>.</param>
/// <param name="Subject">The server certificate's subject distinguished name.</param>
/// <param name="Issuer">The server certificate's issuer distinguished name.</param>
/// <param name="ChainValidated">The record's <c>chain-validated:</c> line: whether the capturing node's system trusted the chain.</param>
/// <remarks>Immutable.</remarks>
public sealed record CapturedTls(string Url, string Protocol, string Subject, string Issuer, bool ChainValidated);
