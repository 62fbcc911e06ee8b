namespace EvidenceChain.Ledger.Witnessing;

/// <summary>What the log remembers of one witness across restarts. Immutable.</summary>
/// <param name="Name">The witness's name.</param>
/// <param name="Size">The size of the latest checkpoint the witness cosigned for this log (0: none known).</param>
public sealed record WitnessRecord(string Name, ulong Size);
