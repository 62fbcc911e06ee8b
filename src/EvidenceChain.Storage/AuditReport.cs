using EvidenceChain.Core;

namespace EvidenceChain.Storage;

/// <summary>
/// The outcome of <see cref="LedgerAuditor"/>: the problems found (the first is the first in ledger order), the
/// harmless things noticed, and what was checked.
/// </summary>
public sealed class AuditReport
{
    private readonly List<AuditProblem> _problems = [];
    private readonly List<string> _notes = [];

    /// <summary>True when no problem was found.</summary>
    public bool IsClean => _problems.Count == 0;

    /// <summary>Problems, in the order found; capped by the audit's limit.</summary>
    public IReadOnlyList<AuditProblem> Problems => _problems;

    /// <summary>Harmless findings (files beyond the published checkpoint, temporary files, an index that lags).</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Entries re-derived.</summary>
    public ulong Entries { get; internal set; }

    /// <summary>Tile and bundle files compared.</summary>
    public int Tiles { get; internal set; }

    /// <summary>Checkpoints verified (signature, and root against the entries).</summary>
    public int Checkpoints { get; internal set; }

    /// <summary>Blobs re-hashed.</summary>
    public int Blobs { get; internal set; }

    /// <summary>Checkpoint timestamp tokens re-verified.</summary>
    public int Timestamps { get; internal set; }

    /// <summary>API key records checked in <c>node.db</c>.</summary>
    public int ApiKeys { get; internal set; }

    /// <summary>The verified root at the latest checkpoint, when the audit got that far.</summary>
    public Hash? Root { get; internal set; }

    /// <summary>The log origin.</summary>
    public string? Origin { get; internal set; }

    /// <summary>What the source audited could not give, each with why (a mirror keeps no blobs, HTTP serves no history).</summary>
    internal List<string> NotChecked { get; } = [];

    internal int Limit { get; init; } = 20;

    internal bool Full => _problems.Count >= Limit;

    internal void Problem(string where, string what)
    {
        if (!Full)
        {
            _problems.Add(new AuditProblem(where, what));
        }
    }

    internal void Note(string note) => _notes.Add(note);

    /// <summary>An empty report with the same limit, for checks run beside others; <see cref="Append"/> it where they would have run.</summary>
    internal AuditReport Fork() => new() { Limit = Limit };

    /// <summary>Adds the problems and notes of <paramref name="other"/> (a <see cref="Fork"/>), in order, as if reported here.</summary>
    internal void Append(AuditReport other)
    {
        foreach (var problem in other._problems)
        {
            Problem(problem.Where, problem.What);
        }

        _notes.AddRange(other._notes);
    }
}
