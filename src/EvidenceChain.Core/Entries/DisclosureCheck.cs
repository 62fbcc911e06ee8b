namespace EvidenceChain.Core.Entries;

/// <summary>The outcome of <see cref="Disclosure.Check"/>. Immutable.</summary>
/// <param name="BadField">The first field whose opening failed; null when every opening matched.</param>
/// <param name="Problem">Why it failed, naming the field; null when valid.</param>
/// <param name="Opened">The openings that matched (all of them when valid; empty otherwise).</param>
/// <param name="Unopened">Committed fields the disclosure does not open, sorted; empty when valid and complete.</param>
public sealed record DisclosureCheck(string? BadField, string? Problem, IReadOnlyList<Opening> Opened, IReadOnlyList<string> Unopened)
{
    /// <summary>True when every opening matched its commitment.</summary>
    public bool IsValid => Problem is null;
}
