namespace EvidenceChain.Web.Console;

/// <summary>
/// What a part of the case page reports to the page after a call: the case as the node answered it (null when the
/// call failed), a message for the page's banner, whether it is an error, and whether the attach panel may close.
/// </summary>
public sealed record CaseOutcome(CaseInfo? Case, string? Message, bool Error = false, bool CloseAttach = false);
