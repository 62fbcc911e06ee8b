using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace EvidenceChain.Web.Tests.Infrastructure;

/// <summary>
/// One browser tab on the node's verification page, with every request the page makes recorded (URL, method, body),
/// so that tests can assert that nothing is sent once the page has loaded.
/// </summary>
public sealed class PageSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    private PageSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Request += (_, request) => Requests.Enqueue(new SeenRequest(request.Url, request.Method, request.PostDataBuffer ?? []));
    }

    public IPage Page { get; }

    /// <summary>Every request the page made, in order.</summary>
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <summary>Opens <paramref name="url"/> at <paramref name="width"/> px in <paramref name="locale"/> and waits until the page is ready.</summary>
    public static async Task<PageSession> OpenAsync(IBrowser browser, Uri url, int width = 1280, string locale = "en-US")
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            Locale = locale,
            DeviceScaleFactor = 1,
        });
        var page = await context.NewPageAsync();
        var session = new PageSession(context, page);
        var messages = new ConcurrentQueue<string>();
        page.Console += (_, m) => messages.Enqueue($"{m.Type}: {m.Text}");
        await page.GotoAsync(url.ToString());
        try
        {
            await page.WaitForSelectorAsync("[data-ready='true']", new PageWaitForSelectorOptions { Timeout = 90_000 });
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException("The page did not get ready. Console:\n" + string.Join('\n', messages), e);
        }

        return session;
    }

    /// <summary>Picks <paramref name="files"/> in the page's file input (as a drop does) and waits for the verdict.</summary>
    public Task<string> VerifyAsync(params string[] files) => AfterRunAsync(() => Page.SetInputFilesAsync("#file-input", files));

    /// <summary>
    /// Does <paramref name="action"/>, waits until the page has finished the verification it starts (the page counts
    /// finished runs in <c>data-runs</c>), and returns the verdict: pass, fail, or none when no report is shown.
    /// </summary>
    public async Task<string> AfterRunAsync(Func<Task> action, float timeoutMs = 120_000)
    {
        var before = int.Parse((await Page.GetAttributeAsync("main", "data-runs"))!, System.Globalization.CultureInfo.InvariantCulture);
        await action();
        await Page.WaitForFunctionAsync(
            "n => Number(document.querySelector('main').dataset.runs) > n", before, new PageWaitForFunctionOptions { Timeout = timeoutMs });
        return await Page.EvaluateAsync<string>("() => document.querySelector('[data-verdict]')?.dataset.verdict ?? 'none'");
    }

    /// <summary>Each step's result as the page marks it: step name (as the CLI prints it) to pass, fail or skip.</summary>
    public async Task<IReadOnlyDictionary<string, string>> StepsAsync()
    {
        var steps = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in await Page.QuerySelectorAllAsync("[data-step]"))
        {
            steps[(await row.GetAttributeAsync("data-step"))!] = (await row.GetAttributeAsync("data-result"))!;
        }

        return steps;
    }

    /// <summary>Pins a pasted verifier key or PEM certificates and waits for the new verdict.</summary>
    public async Task<string> PinAsync(string text)
    {
        await Page.EvalOnSelectorAsync("details.load", "d => d.open = true");
        await Page.FillAsync("#anchor-paste", text);
        return await AfterRunAsync(() => Page.ClickAsync("#anchor-pin"));
    }

    /// <summary>Writes a full-page screenshot to the ignored screenshots folder.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(Browser.Screenshots);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Screenshots, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}

/// <summary>A request the page made.</summary>
public sealed record SeenRequest(string Url, string Method, byte[] Body);
