using EvidenceChain.Web.Verification;
using Microsoft.JSInterop;

namespace EvidenceChain.Web.Console;

/// <summary>
/// The signed-in key and who it is, and the language, for one tab. The key lives in this object and in the tab's
/// sessionStorage only (so a reload keeps the session and closing the tab ends it): never localStorage, never a URL,
/// never a log. Signing out, or the node refusing the key (revoked, unknown), forgets it.
/// </summary>
/// <remarks>Used on the browser's one thread only.</remarks>
internal sealed class ConsoleSession(IJSRuntime js) : IAsyncDisposable
{
    private Task<IJSObjectReference>? _module;

    /// <summary>The API key, or null when signed out.</summary>
    public string? Key { get; private set; }

    /// <summary>Who the key is, from GET /v1/whoami; null when signed out.</summary>
    public WhoAmI? Identity { get; private set; }

    /// <summary>True once a key kept in sessionStorage has been tried (or there was none).</summary>
    public bool Started { get; private set; }

    /// <summary>Why the last session ended when the user did not end it (a revoked key), shown on the sign-in form.</summary>
    public string? Notice { get; private set; }

    /// <summary>The console's language: the browser's at first, then the user's choice.</summary>
    public Language Language { get; private set; } = Language.English;

    /// <summary>Raised after sign-in, sign-out and a language change.</summary>
    public event Action? Changed;

    /// <summary>The key's role as the node names it: submitter, case-manager or admin; empty when signed out.</summary>
    public string Role => Identity?.Role ?? string.Empty;

    public bool SignedIn => Key is not null && Identity is not null;

    /// <summary>A text in the console's language.</summary>
    public string T(string key) => ConsoleText.T(Language, key);

    /// <summary>The console's JavaScript module (wwwroot/js/console.js), imported once.</summary>
    public Task<IJSObjectReference> ModuleAsync() => _module ??= js.InvokeAsync<IJSObjectReference>("import", "./js/console.js").AsTask();

    /// <summary>Picks the language and resumes a session kept in this tab; once.</summary>
    public async Task StartAsync(NodeApi api)
    {
        if (Started)
        {
            return;
        }

        var module = await ModuleAsync();
        var browser = await module.InvokeAsync<string>("language");
        Language = browser.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Language.Chinese : Language.English;
        var kept = await module.InvokeAsync<string?>("loadKey");
        if (!string.IsNullOrEmpty(kept))
        {
            try
            {
                Identity = await api.WhoAmIAsync(kept, CancellationToken.None);
                Key = kept;
            }
            catch (ApiException e)
            {
                await module.InvokeVoidAsync("forgetKey");
                Notice = T("signin.ended") + " " + e.Message;
            }
        }

        Started = true;
        Changed?.Invoke();
    }

    /// <summary>Asks the node who <paramref name="key"/> is and keeps it; the node's refusal is thrown as is.</summary>
    public async Task SignInAsync(NodeApi api, string key)
    {
        key = key.Trim();
        var identity = await api.WhoAmIAsync(key, CancellationToken.None);
        var module = await ModuleAsync();
        await module.InvokeVoidAsync("storeKey", key);
        Key = key;
        Identity = identity;
        Notice = null;
        Changed?.Invoke();
    }

    /// <summary>Forgets the key; <paramref name="notice"/> says why when the user did not ask.</summary>
    public async Task SignOutAsync(string? notice = null)
    {
        Key = null;
        Identity = null;
        Notice = notice;
        var module = await ModuleAsync();
        await module.InvokeVoidAsync("forgetKey");
        Changed?.Invoke();
    }

    public async Task SetLanguageAsync(Language language)
    {
        Language = language;
        var module = await ModuleAsync();
        await module.InvokeVoidAsync("setDocumentLanguage", language == Language.Chinese ? "zh-CN" : "en", T("console") + " · EvidenceChain");
        Changed?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is { IsCompletedSuccessfully: true })
        {
            try
            {
                await _module.Result.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
            }
        }
    }
}
