using System.Text.Json.Serialization;

namespace EvidenceChain.Web.Console;

// The case and admin messages of proto/evidencechain/v1 (cases.proto, admin.proto) as the console reads and writes
// them in proto3 JSON. Only the fields the console uses are declared. The case's records are public only because
// the case page's components (public, as Razor makes them) take them as parameters; nothing outside uses them.

/// <summary>A party to a case: a name and a role such as claimant, respondent or mediator.</summary>
public sealed record CasePartyInfo(string? Name, string? Role);

/// <summary>An attached entry, as GET /v1/cases/{id} lists it.</summary>
public sealed record CaseItemInfo(
    ulong Index,
    string? LeafHash,
    string? AttachedBy,
    string? AttachedAt,
    ulong EventIndex,
    string? Kind,
    string? Title,
    bool HasScreenshot,
    string? AttachedByDescription);

/// <summary>A note on a case.</summary>
public sealed record CaseNoteInfo(string? Text, string? Author, string? Time, ulong EventIndex, string? AuthorDescription);

/// <summary>One event of a case's custody history (create, attach, detach, note, close or export).</summary>
public sealed record CaseEventInfo(
    ulong Index,
    string? LeafHash,
    string? Action,
    string? Actor,
    string? Time,
    bool HasEvidence,
    ulong EvidenceIndex,
    string? Text,
    string? ManifestSha256,
    string? ActorDescription);

/// <summary>A case with its items, notes and history (GET /v1/cases/{id}).</summary>
public sealed record CaseInfo(
    string Id,
    string? Title,
    string? Reference,
    IReadOnlyList<CasePartyInfo>? Parties,
    string? Status,
    IReadOnlyList<CaseItemInfo>? Items,
    IReadOnlyList<CaseNoteInfo>? Notes,
    IReadOnlyList<CaseEventInfo>? Events,
    string? CreatedBy,
    string? CreatedAt,
    string? CreatedByDescription);

/// <summary>The reply to every case change: the case after it, and the event recorded.</summary>
internal sealed record CaseChange(CaseInfo? Case, CaseEventInfo? Event);

/// <summary>A case as GET /v1/cases lists it.</summary>
internal sealed record CaseSummary(
    string Id, string? Title, string? Reference, string? Status, uint ItemCount, uint EventCount, string? CreatedAt, IReadOnlyList<CasePartyInfo>? Parties);

/// <summary>GET /v1/cases.</summary>
internal sealed record CaseList(IReadOnlyList<CaseSummary>? Cases, string? NextPageToken);

/// <summary>POST /v1/cases.</summary>
internal sealed record CreateCaseBody(string Title, string Reference, IReadOnlyList<CasePartyInfo> Parties);

/// <summary>POST /v1/cases/{id}:attach.</summary>
internal sealed record AttachBody(ulong Index);

/// <summary>POST /v1/cases/{id}:detach.</summary>
internal sealed record DetachBody(ulong Index, string Reason);

/// <summary>POST /v1/cases/{id}:note (Text) and :close (Reason).</summary>
internal sealed record TextBody(string? Text = null, string? Reason = null);

/// <summary>An API key as the admin API lists it (never its secret).</summary>
internal sealed record ApiKeyInfo(string Id, string? Role, string? Description, string? Created, string? Revoked);

/// <summary>GET /v1/admin/keys.</summary>
internal sealed record ApiKeyList(IReadOnlyList<ApiKeyInfo>? Keys);

/// <summary>POST /v1/admin/keys.</summary>
internal sealed record CreateKeyBody(string Role, string Description);

/// <summary>The reply to POST /v1/admin/keys: the key, and its secret, shown once.</summary>
internal sealed record CreatedKey(ApiKeyInfo? Key, string? Secret);

/// <summary>An empty JSON body, for calls whose parameters are all in the path.</summary>
internal sealed record EmptyBody;

/// <summary>The source-generated JSON contract of the case and admin calls.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CaseInfo))]
[JsonSerializable(typeof(CaseChange))]
[JsonSerializable(typeof(CaseList))]
[JsonSerializable(typeof(CreateCaseBody))]
[JsonSerializable(typeof(AttachBody))]
[JsonSerializable(typeof(DetachBody))]
[JsonSerializable(typeof(TextBody))]
[JsonSerializable(typeof(ApiKeyInfo))]
[JsonSerializable(typeof(ApiKeyList))]
[JsonSerializable(typeof(CreateKeyBody))]
[JsonSerializable(typeof(CreatedKey))]
[JsonSerializable(typeof(EmptyBody))]
internal sealed partial class CaseJson : JsonSerializerContext;
