using EvidenceChain.Api.V1;
using EvidenceChain.Core.Cases;

namespace EvidenceChain.Node.Services;

/// <summary>Mapping between the case messages and Core's case types.</summary>
internal static class CaseWire
{
    public static Case ToProto(CaseState state)
    {
        var message = new Case
        {
            Id = state.Id,
            Title = state.Title,
            Reference = state.Reference,
            Status = Status(state.Status),
            CreatedBy = state.Created.Event.Actor,
            CreatedAt = Wire.Rfc3339(state.Created.Time),
        };
        message.Parties.AddRange(state.Parties.Select(p => new Api.V1.CaseParty { Name = p.Name, Role = p.Role }));
        message.Items.AddRange(state.Items.Select(i => new Api.V1.CaseItem
        {
            Index = i.Index, LeafHash = i.LeafHash.ToString(), AttachedBy = i.AttachedBy, AttachedAt = Wire.Rfc3339(i.AttachedAt), EventIndex = i.AttachEvent,
        }));
        message.Notes.AddRange(state.Notes.Select(n => new CaseNote
        {
            Text = n.Event.Text ?? string.Empty, Author = n.Event.Actor, Time = Wire.Rfc3339(n.Time), EventIndex = n.Index,
        }));
        message.Events.AddRange(state.Events.Select(ToProto));
        return message;
    }

    public static CaseEventInfo ToProto(RecordedCaseEvent recorded)
    {
        var e = recorded.Event;
        return new CaseEventInfo
        {
            Index = recorded.Index,
            LeafHash = recorded.LeafHash.ToString(),
            Action = CaseEvent.ActionName(e.Action),
            Actor = e.Actor,
            Time = Wire.Rfc3339(recorded.Time),
            HasEvidence = e.EvidenceIndex is not null,
            EvidenceIndex = e.EvidenceIndex ?? 0,
            Text = e.Text ?? string.Empty,
            ManifestSha256 = e.ManifestSha256?.ToString() ?? string.Empty,
        };
    }

    public static CaseSummary ToSummary(CaseState state) => new()
    {
        Id = state.Id,
        Title = state.Title,
        Reference = state.Reference,
        Status = Status(state.Status),
        ItemCount = (uint)state.Items.Count,
        EventCount = (uint)state.Events.Count,
        CreatedAt = Wire.Rfc3339(state.Created.Time),
        Parties = { state.Parties.Select(p => new Api.V1.CaseParty { Name = p.Name, Role = p.Role }) },
    };

    public static CaseChange ToChange((CaseState Case, RecordedCaseEvent Event) change) =>
        new() { Case = ToProto(change.Case), Event = ToProto(change.Event) };

    public static string Status(CaseStatus status) => status == CaseStatus.Open ? "open" : "closed";
}
