using System.Collections.Immutable;
using System.Globalization;

namespace EvidenceChain.Core.Cases;

/// <summary>
/// A case as its events make it: the fold of its <c>case-event</c> entries in ledger order. The node keeps it to
/// answer reads, rebuilds it from the ledger, and a verifier replays an export's events into it to check the manifest.
/// Immutable: <see cref="Apply"/> returns a new state.
/// </summary>
public sealed record CaseState
{
    private CaseState()
    {
    }

    /// <summary>The case id.</summary>
    public required string Id { get; init; }

    /// <summary>The title.</summary>
    public required string Title { get; init; }

    /// <summary>The reference number; may be empty.</summary>
    public required string Reference { get; init; }

    /// <summary>The parties.</summary>
    public required ImmutableArray<CaseParty> Parties { get; init; }

    /// <summary>Open or closed.</summary>
    public CaseStatus Status { get; init; }

    /// <summary>The items attached now, in the order they were attached.</summary>
    public ImmutableList<CaseItem> Items { get; init; } = [];

    /// <summary>Every event, oldest first (the first is the create event).</summary>
    public ImmutableList<RecordedCaseEvent> Events { get; init; } = [];

    /// <summary>The create event.</summary>
    public RecordedCaseEvent Created => Events[0];

    /// <summary>The latest event (the one the next event must name as its previous event).</summary>
    public RecordedCaseEvent Last => Events[^1];

    /// <summary>The state a create event makes.</summary>
    /// <exception cref="ArgumentException">The event is not a well-formed create event.</exception>
    public static CaseState Create(RecordedCaseEvent created)
    {
        ArgumentNullException.ThrowIfNull(created);
        var e = created.Event;
        if (e.Action != CaseAction.Create || e.FindError() is { } error)
        {
            throw new ArgumentException($"Not a well-formed create event: {e.FindError() ?? e.Action.ToString()}.", nameof(created));
        }

        return new CaseState
        {
            Id = e.CaseId,
            Title = e.Title!,
            Reference = e.Reference!,
            Parties = [.. e.Parties],
            Status = CaseStatus.Open,
            Events = [created],
        };
    }

    /// <summary>
    /// The first rule that <paramref name="e"/> breaks on this case, with a message naming the case and the index;
    /// null when it may follow. The event must be well-formed (<see cref="CaseEvent.FindError"/>). Its previous
    /// event is not checked here: <see cref="Apply"/> checks it.
    /// </summary>
    public (CaseRuleViolation Violation, string Message)? Check(CaseEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.CaseId != Id)
        {
            return (CaseRuleViolation.FailedPrecondition, $"the event is for case {e.CaseId}, not {Id}");
        }

        if (e.Action == CaseAction.Create)
        {
            return (CaseRuleViolation.AlreadyExists, $"case {Id} exists already");
        }

        if (Events.Count >= CaseLimits.MaxEvents)
        {
            return (CaseRuleViolation.FailedPrecondition, string.Create(CultureInfo.InvariantCulture, $"case {Id} has reached the limit of {CaseLimits.MaxEvents} events"));
        }

        if (Status == CaseStatus.Closed && e.Action != CaseAction.Export)
        {
            return (CaseRuleViolation.FailedPrecondition, string.Create(CultureInfo.InvariantCulture, $"case {Id} is closed (event {Last.Index}); a closed case cannot be changed, only exported"));
        }

        var attached = e.EvidenceIndex is { } index ? Items.Find(i => i.Index == index) : null;
        return e.Action switch
        {
            CaseAction.Attach when attached is not null => (CaseRuleViolation.AlreadyExists,
                string.Create(CultureInfo.InvariantCulture, $"entry {attached.Index} is already attached to case {Id} (by {attached.AttachedBy}, event {attached.AttachEvent})")),
            CaseAction.Attach when Items.Count >= CaseLimits.MaxItems => (CaseRuleViolation.FailedPrecondition,
                string.Create(CultureInfo.InvariantCulture, $"case {Id} holds {Items.Count} items, the limit")),
            CaseAction.Detach when attached is null => (CaseRuleViolation.FailedPrecondition,
                string.Create(CultureInfo.InvariantCulture, $"entry {e.EvidenceIndex} is not attached to case {Id}")),
            CaseAction.Detach when attached.LeafHash != e.EvidenceLeafHash => (CaseRuleViolation.FailedPrecondition,
                string.Create(CultureInfo.InvariantCulture, $"entry {attached.Index} was attached to case {Id} with leaf hash {attached.LeafHash}, not {e.EvidenceLeafHash}")),
            _ => null,
        };
    }

    /// <summary>The state after <paramref name="recorded"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The event is malformed, does not name this case's latest event as its previous one, or breaks a rule
    /// (<see cref="Check"/>); the message says which.
    /// </exception>
    public CaseState Apply(RecordedCaseEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var e = recorded.Event;
        if (e.FindError() is { } error)
        {
            throw new ArgumentException($"Event {recorded.Index} is malformed: {error}.", nameof(recorded));
        }

        if (Check(e) is { } broken)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Event {recorded.Index} cannot follow: {broken.Message}."), nameof(recorded));
        }

        if (e.PreviousEvent != Last.Index || recorded.Index <= Last.Index)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Event {recorded.Index} names {e.PreviousEvent} as the previous event of case {Id}; it is {Last.Index}."),
                nameof(recorded));
        }

        var next = this with { Events = Events.Add(recorded) };
        return e.Action switch
        {
            CaseAction.Attach => next with
            {
                Items = Items.Add(new CaseItem(e.EvidenceIndex!.Value, e.EvidenceLeafHash!.Value, e.Actor, recorded.Time, recorded.Index)),
            },
            CaseAction.Detach => next with { Items = Items.RemoveAll(i => i.Index == e.EvidenceIndex) },
            CaseAction.Close => next with { Status = CaseStatus.Closed },
            _ => next,
        };
    }

    /// <summary>The notes: the note events, oldest first.</summary>
    public IEnumerable<RecordedCaseEvent> Notes => Events.Where(e => e.Event.Action == CaseAction.Note);
}
