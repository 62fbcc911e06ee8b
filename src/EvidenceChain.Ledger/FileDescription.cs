using EvidenceChain.Core;

namespace EvidenceChain.Ledger;

/// <summary>What a submitter says about a file it preserves. Immutable; checked by <see cref="FileIntake"/>.</summary>
/// <param name="FileName">The file's name without any folder.</param>
/// <param name="MediaType">IANA media type; empty means <c>application/octet-stream</c>.</param>
/// <param name="Title">Optional title recorded in the entry; empty for none.</param>
/// <param name="Description">Optional description recorded in the entry; empty for none.</param>
/// <param name="ExpectedSha256">The SHA-256 the submitter computed, if any; a mismatch refuses the file.</param>
public sealed record FileDescription(string FileName, string MediaType, string Title, string Description, Hash? ExpectedSha256);
