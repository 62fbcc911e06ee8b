using System.Globalization;
using System.Text;

namespace EvidenceChain.Web.Console;

/// <summary>
/// The case and admin calls of the node's JSON API (cases.proto, admin.proto), through <see cref="NodeApi"/>: the key
/// in the Authorization header, a refusal thrown as <see cref="ApiException"/> with the node's words.
/// </summary>
internal static class CaseCalls
{
    /// <summary>GET /v1/cases, newest first: <paramref name="status"/> open, closed or empty; <paramref name="text"/> in title, reference or a party.</summary>
    public static Task<CaseList> ListCasesAsync(this NodeApi api, string? status, string? text, int pageSize, string? pageToken, CancellationToken ct)
    {
        var query = new StringBuilder("v1/cases?newest_first=true&page_size=").Append(pageSize.ToString(CultureInfo.InvariantCulture));
        Add(query, "status", status);
        Add(query, "q", text);
        Add(query, "page_token", pageToken);
        return api.GetAsync(query.ToString(), CaseJson.Default.CaseList, ct);
    }

    public static Task<CaseInfo> GetCaseAsync(this NodeApi api, string id, CancellationToken ct) =>
        api.GetAsync("v1/cases/" + Uri.EscapeDataString(id), CaseJson.Default.CaseInfo, ct);

    public static Task<CaseChange> CreateCaseAsync(this NodeApi api, CreateCaseBody body, CancellationToken ct) =>
        api.PostAsync("v1/cases", body, CaseJson.Default.CreateCaseBody, CaseJson.Default.CaseChange, ct);

    public static Task<CaseChange> AttachAsync(this NodeApi api, string id, ulong index, CancellationToken ct) =>
        api.PostAsync(CasePath(id, "attach"), new AttachBody(index), CaseJson.Default.AttachBody, CaseJson.Default.CaseChange, ct);

    public static Task<CaseChange> DetachAsync(this NodeApi api, string id, ulong index, string reason, CancellationToken ct) =>
        api.PostAsync(CasePath(id, "detach"), new DetachBody(index, reason), CaseJson.Default.DetachBody, CaseJson.Default.CaseChange, ct);

    public static Task<CaseChange> AddNoteAsync(this NodeApi api, string id, string text, CancellationToken ct) =>
        api.PostAsync(CasePath(id, "note"), new TextBody(Text: text), CaseJson.Default.TextBody, CaseJson.Default.CaseChange, ct);

    public static Task<CaseChange> CloseAsync(this NodeApi api, string id, string reason, CancellationToken ct) =>
        api.PostAsync(CasePath(id, "close"), new TextBody(Reason: reason), CaseJson.Default.TextBody, CaseJson.Default.CaseChange, ct);

    /// <summary>Where the export zip is served; fetched by console.js with the key in the header, never in this URL.</summary>
    public static string ExportPath(string id) => $"v1/cases/{Uri.EscapeDataString(id)}/export.zip?file_name={Uri.EscapeDataString(ExportName(id))}";

    /// <summary>The name the export is saved under (and that its VERIFY.txt names).</summary>
    public static string ExportName(string id) => $"case-{id}.zip";

    public static Task<ApiKeyList> ListKeysAsync(this NodeApi api, CancellationToken ct) =>
        api.GetAsync("v1/admin/keys", CaseJson.Default.ApiKeyList, ct);

    public static Task<CreatedKey> CreateKeyAsync(this NodeApi api, string role, string description, CancellationToken ct) =>
        api.PostAsync("v1/admin/keys", new CreateKeyBody(role, description), CaseJson.Default.CreateKeyBody, CaseJson.Default.CreatedKey, ct);

    public static Task<ApiKeyInfo> RevokeKeyAsync(this NodeApi api, string id, CancellationToken ct) =>
        api.PostAsync($"v1/admin/keys/{Uri.EscapeDataString(id)}:revoke", new EmptyBody(), CaseJson.Default.EmptyBody, CaseJson.Default.ApiKeyInfo, ct);

    private static string CasePath(string id, string verb) => $"v1/cases/{Uri.EscapeDataString(id)}:{verb}";

    private static void Add(StringBuilder query, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value.Trim()));
        }
    }
}
