namespace EvidenceChain.Core.Notes;

/// <summary>
/// A group of a <see cref="WitnessPolicy"/> (a <c>group</c> line of c2sp.org/tlog-policy): it witnesses a checkpoint
/// when at least <see cref="Threshold"/> of its <see cref="Members"/> do, each member a witness or an earlier group.
/// </summary>
/// <param name="Name">The group's name within the policy (shared namespace with witnesses).</param>
/// <param name="Threshold">k: how many members must witness; 1 &lt;= k &lt;= the number of members.</param>
/// <param name="Members">The names of its members, each at most once, each defined before the group.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record PolicyGroup(string Name, int Threshold, IReadOnlyList<string> Members);
