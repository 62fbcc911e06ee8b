using EvidenceChain.Api.V1;
using EvidenceChain.Core.Cases;
using EvidenceChain.Ledger.Search;
using EvidenceChain.Node.Auth;

namespace EvidenceChain.Node.Services;

/// <summary>
/// A case as a reader sees it: <see cref="CaseWire"/>'s message plus what people need to read it: each item's kind,
/// title and screenshot flag (from the search store), and the description of each actor's key. A submitter key sees the
/// titles of its own entries only (committed fields stay hidden, as in <see cref="EntryDisclosure"/>), and the
/// description of its own key only (key descriptions are committed too).
/// </summary>
internal sealed class CaseView(EntrySearch search, ApiKeyService keys)
{
    public async Task<Case> ToProtoAsync(CaseState state, Caller caller, CancellationToken cancellationToken)
    {
        var message = CaseWire.ToProto(state);
        string Describe(string keyId) => caller.Role != Role.Submitter || keyId == caller.KeyId ? keys.DescriptionOf(keyId) : string.Empty;
        message.CreatedByDescription = Describe(message.CreatedBy);
        foreach (var note in message.Notes)
        {
            note.AuthorDescription = Describe(note.Author);
        }

        foreach (var e in message.Events)
        {
            e.ActorDescription = Describe(e.Actor);
        }

        if (message.Items.Count > 0)
        {
            var records = (await search.SearchAsync(
                new SearchQuery { Only = [.. message.Items.Select(i => i.Index)], Limit = message.Items.Count }, cancellationToken))
                .ToDictionary(r => r.Index);
            foreach (var item in message.Items)
            {
                item.AttachedByDescription = Describe(item.AttachedBy);
                if (records.TryGetValue(item.Index, out var r))
                {
                    item.Kind = r.Kind;
                    item.HasScreenshot = r.HasScreenshot;
                    item.Title = caller.Role != Role.Submitter || r.Submitter == caller.KeyId ? Title(r) : string.Empty;
                }
            }
        }

        return message;
    }

    public async Task<CaseChange> ToChangeAsync((CaseState Case, RecordedCaseEvent Event) change, Caller caller, CancellationToken cancellationToken)
    {
        var e = CaseWire.ToProto(change.Event);
        e.ActorDescription = caller.Role != Role.Submitter || e.Actor == caller.KeyId ? keys.DescriptionOf(e.Actor) : string.Empty;
        return new CaseChange { Case = await ToProtoAsync(change.Case, caller, cancellationToken), Event = e };
    }

    /// <summary>What to call an entry: a file's title, else its file name; a web page's URL.</summary>
    public static string Title(SearchRecord r) => r.Title.Length > 0 ? r.Title : r.FileName.Length > 0 ? r.FileName : r.Url;
}
