using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EvidenceChain.Web.Console;

/// <summary>
/// The node's JSON API for the console, on this origin, with the signed-in key as <c>Authorization: Bearer</c>.
/// A 401 (the key was revoked or is unknown) ends the session with the node's message; other refusals are thrown as
/// <see cref="ApiException"/> carrying the node's own words.
/// </summary>
internal sealed class NodeApi(HttpClient http, ConsoleSession session)
{
    /// <summary>GET /v1/whoami with <paramref name="key"/> (not yet the session's).</summary>
    public Task<WhoAmI> WhoAmIAsync(string key, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "v1/whoami", null, ApiJson.Default.WhoAmI, key, expireOn401: false, ct);

    /// <summary>GET /v1/entries/{index}, disclosed fields included for a key that may see them.</summary>
    public Task<EntryInfo> GetEntryAsync(ulong index, CancellationToken ct) =>
        GetAsync(string.Create(CultureInfo.InvariantCulture, $"v1/entries/{index}"), ApiJson.Default.EntryInfo, ct);

    /// <summary>GET /v1/entries:search; empty values are left out.</summary>
    public Task<SearchResult> SearchAsync(EntryQuery query, CancellationToken ct) =>
        GetAsync("v1/entries:search" + query.ToQueryString(), ApiJson.Default.SearchResult, ct);

    /// <summary>POST /v1/captures.</summary>
    public Task<CaptureResult> CaptureAsync(CaptureRequest request, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "v1/captures", JsonContent.Create(request, ApiJson.Default.CaptureRequest), ApiJson.Default.CaptureResult, session.Key, true, ct);

    /// <summary>GET <paramref name="path"/> (relative to the origin, no leading slash) as <typeparamref name="T"/>.</summary>
    public Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, path, null, type, session.Key, true, ct);

    /// <summary>POST <paramref name="body"/> as JSON to <paramref name="path"/>; the reply as <typeparamref name="TReply"/>.</summary>
    public Task<TReply> PostAsync<TBody, TReply>(string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TReply> replyType, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, JsonContent.Create(body, bodyType), replyType, session.Key, true, ct);

    /// <summary>
    /// What a refused call answered (<paramref name="status"/> and body) as the node's message; a 401 also ends the
    /// session. For calls made by console.js (uploads, downloads).
    /// </summary>
    public async Task<ApiException> RefusalAsync(int status, string? body)
    {
        var error = Parse(status, body);
        if (status == 401 && session.Key is not null)
        {
            await session.SignOutAsync(session.T("signin.ended") + " " + error.Message);
        }

        return error;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, string? key, bool expireOn401, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ApiException(0, 14, session.T("error.network") + " (" + e.Message + ")");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                throw expireOn401 ? await RefusalAsync(status, text) : Parse(status, text);
            }

            try
            {
                return JsonSerializer.Deserialize(text, type) ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                throw new ApiException((int)response.StatusCode, 13, $"The node's answer to {path} could not be read: {e.Message}");
            }
        }
    }

    private static ApiException Parse(int status, string? body)
    {
        ApiError? error = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                error = JsonSerializer.Deserialize(body, ApiJson.Default.ApiError);
            }
            catch (JsonException)
            {
            }
        }

        var message = error?.Message is { Length: > 0 } m ? m : string.Create(CultureInfo.InvariantCulture, $"HTTP {status}");
        return new ApiException(status, error?.Code ?? 0, message);
    }
}

/// <summary>A search of entries (GET /v1/entries:search); null or empty fields are not sent.</summary>
internal sealed record EntryQuery
{
    public string? Text { get; init; }

    public string? Kind { get; init; }

    public string? Sha256 { get; init; }

    public string? Sm3 { get; init; }

    /// <summary>From this day (inclusive), yyyy-MM-dd, UTC.</summary>
    public DateOnly? From { get; init; }

    /// <summary>To this day (inclusive), yyyy-MM-dd, UTC.</summary>
    public DateOnly? To { get; init; }

    public int PageSize { get; init; } = 20;

    public string? PageToken { get; init; }

    public string ToQueryString()
    {
        var query = new StringBuilder();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value.Trim()));
            }
        }

        Add("q", Text);
        Add("kind", Kind);
        Add("sha256", Sha256?.ToLowerInvariant());
        Add("sm3", Sm3?.ToLowerInvariant());
        // The node takes RFC 3339 times, "to" exclusive: a day range covers whole UTC days.
        Add("from", From is { } from ? from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z" : null);
        Add("to", To is { } to ? to.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z" : null);
        Add("page_size", PageSize.ToString(CultureInfo.InvariantCulture));
        Add("page_token", PageToken);
        return query.ToString();
    }
}
