using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace EvidenceChain.Web.Tests.Infrastructure;

/// <summary>
/// One browser tab on the node's console: every request URL, console message and dialog is recorded, so that tests
/// can assert that the key never shows in a URL or a log and that no script from data ever ran.
/// </summary>
public sealed class ConsoleTab : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly Uri _node;

    private ConsoleTab(IBrowserContext context, IPage page, Uri node)
    {
        _context = context;
        _node = node;
        Page = page;
        page.Request += (_, request) => Urls.Enqueue(request.Url);
        page.Console += (_, message) => Messages.Enqueue($"{message.Type}: {message.Text}");
        page.Dialog += async (_, dialog) =>
        {
            Dialogs.Enqueue(dialog.Message);
            await dialog.DismissAsync();
        };
    }

    public IPage Page { get; }

    public ConcurrentQueue<string> Urls { get; } = new();

    public ConcurrentQueue<string> Messages { get; } = new();

    /// <summary>alert/confirm/prompt dialogs the page opened (an injected script would).</summary>
    public ConcurrentQueue<string> Dialogs { get; } = new();

    public static async Task<ConsoleTab> OpenAsync(IBrowser browser, Uri node, string path, int width, string locale)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            Locale = locale,
            DeviceScaleFactor = 1,
            AcceptDownloads = true,
        });
        var tab = new ConsoleTab(context, await context.NewPageAsync(), node);
        await tab.GoAsync(path);
        return tab;
    }

    /// <summary>Loads <paramref name="path"/> (relative to the node, e.g. console/evidence) and waits until the console is ready.</summary>
    public async Task GoAsync(string path)
    {
        await Page.GotoAsync(new Uri(_node, path).ToString());
        await ReadyAsync();
    }

    public async Task ReadyAsync()
    {
        try
        {
            await Page.WaitForSelectorAsync("[data-console-ready='true']", new PageWaitForSelectorOptions { Timeout = 90_000 });
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException("The console did not get ready. Console:\n" + string.Join('\n', Messages), e);
        }
    }

    /// <summary>Signs in with <paramref name="key"/> on the sign-in form and waits for the signed-in frame.</summary>
    public async Task SignInAsync(string key)
    {
        await Page.FillAsync("#api-key", key);
        await Page.ClickAsync("#sign-in");
        await Page.WaitForSelectorAsync("[data-signed-in='true']", new PageWaitForSelectorOptions { Timeout = 30_000 });
    }

    /// <summary>Writes a full-page screenshot to the ignored screenshots folder.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(Browser.Screenshots);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Screenshots, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
