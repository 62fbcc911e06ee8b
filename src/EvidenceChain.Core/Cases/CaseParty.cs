namespace EvidenceChain.Core.Cases;

/// <summary>A party to a case: a person or organisation and its role (claimant, respondent, mediator, ...). Immutable.</summary>
/// <param name="Name">The party's name (1 to <see cref="CaseLimits.MaxPartyNameBytes"/> UTF-8 bytes, no control characters).</param>
/// <param name="Role">
/// The party's role (1 to <see cref="CaseLimits.MaxPartyRoleBytes"/> bytes of a-z, 0-9 and '-'), e.g. <c>claimant</c>.
/// </param>
public sealed record CaseParty(string Name, string Role);
