namespace EvidenceChain.Stray;

/// <summary>Deliberately outside this assembly's namespace, so that <c>ConventionTests</c> can show the namespace check fail.</summary>
internal sealed class StrayType;
