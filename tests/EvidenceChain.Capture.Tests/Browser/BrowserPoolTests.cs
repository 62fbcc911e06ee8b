using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using EvidenceChain.Capture.Browser;
using EvidenceChain.Capture.Guard;
using EvidenceChain.Capture.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Capture.Tests.Browser;

/// <summary>
/// The renderer's pool of warm browsers: pages share a browser process but never a browser context, so nothing a page
/// leaves behind (cookies, storage, cache, service workers) reaches the next capture; a browser is replaced after its
/// quota of pages or when it dies.
/// </summary>
public sealed class BrowserPoolTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly AddressGuard _guard = new([AddressGuard.ParseNetwork("127.0.0.1/32")]);
    private WebApplication? _app;
    private Uri _site = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            _requests.Enqueue($"{context.Request.Path} cookie=[{context.Request.Headers.Cookie}]");
            await next(context);
        });

        // Leaves everything a page can leave in a browser: a server cookie, a script cookie, local and session storage,
        // a cached script and a service worker; the page says "worker-ready" once the worker controls the scope.
        _app.MapGet("/set", (HttpContext http) =>
        {
            http.Response.Headers.SetCookie = "server=1; Path=/; Max-Age=3600";
            return Results.Content(
                """
                <!doctype html><html><body><p id="sw">no worker</p><script src="/cached.js"></script><script>
                document.cookie = 'script=1; path=/; max-age=3600';
                localStorage.setItem('left', 'behind');
                sessionStorage.setItem('left', 'behind');
                navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready)
                  .then(() => { document.getElementById('sw').textContent = 'worker-ready'; });
                </script></body></html>
                """, "text/html");
        });
        _app.MapGet("/show", () => Results.Content(
            """
            <!doctype html><html><body><p id="state">pending</p><script src="/cached.js"></script><script>
            navigator.serviceWorker.getRegistrations().then(rs => {
              document.getElementById('state').textContent = 'cookie=[' + document.cookie + '] local=[' + (localStorage.getItem('left') ?? '')
                + '] session=[' + (sessionStorage.getItem('left') ?? '') + '] workers=[' + rs.length + '] controlled=[' + !!navigator.serviceWorker.controller + ']';
            });
            </script></body></html>
            """, "text/html"));
        _app.MapGet("/cached.js", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Content("window.cachedScript = true;", "text/javascript");
        });
        _app.MapGet("/sw.js", () => Results.Content("self.addEventListener('fetch', () => {});", "text/javascript"));
        await _app.StartAsync();
        _site = new Uri(_app.Urls.First());
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [ChromiumFact]
    public async Task RenderAsync_TwoPagesInOneBrowser_NothingTheFirstLeftReachesTheSecond()
    {
        using var renderer = Renderer(poolSize: 1);

        var set = await RenderAsync(renderer, "/set");
        var show = await RenderAsync(renderer, "/show");

        Assert.Equal(1, renderer.BrowsersStarted); // the same warm browser rendered both
        Assert.Contains("worker-ready", Dom(set)); // the first page did leave a worker, cookies, storage and a cached script
        Assert.Contains("cookie=[] local=[] session=[] workers=[0] controlled=[false]", Dom(show));
        var requests = _requests.ToList();
        Assert.Contains("/show cookie=[]", requests); // no cookie was sent with the second page
        Assert.Equal(2, requests.Count(r => r.StartsWith("/cached.js ", StringComparison.Ordinal))); // fetched again, not from a cache
    }

    [ChromiumFact]
    public async Task RenderAsync_BrowserReachedItsQuota_IsReplacedByAFreshOne()
    {
        using var renderer = Renderer(poolSize: 1, recycleAfter: 2);

        for (var i = 0; i < 3; i++)
        {
            await RenderAsync(renderer, "/show");
        }

        Assert.Equal(2, renderer.BrowsersStarted);
    }

    [ChromiumFact]
    public async Task RenderAsync_IdleBrowserDied_NextPageGetsAFreshBrowser()
    {
        var logger = new ListLogger<ChromiumRenderer>();
        using var renderer = new ChromiumRenderer(Tools.Chromium!, logger, 1, 100);
        await RenderAsync(renderer, "/show");
        using (var browser = Process.GetProcessById(Assert.Single(renderer.IdleProcessIds())))
        {
            browser.Kill(entireProcessTree: true);
            await browser.WaitForExitAsync();
        }

        var outcome = await RenderAsync(renderer, "/show");

        Assert.Contains("workers=[0]", Dom(outcome));
        Assert.Equal(2, renderer.BrowsersStarted);
        Assert.Contains(logger.Messages, m => m.Contains("of the capture pool ended while idle", StringComparison.Ordinal));
    }

    [ChromiumFact]
    public async Task RenderAsync_MorePagesThanBrowsers_WaitForABrowserAndAllRender()
    {
        using var renderer = Renderer(poolSize: 2);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => RenderAsync(renderer, "/show")));

        Assert.All(outcomes, o => Assert.Contains("workers=[0]", Dom(o)));
        Assert.InRange(renderer.BrowsersStarted, 1, 2);
    }

    [Fact]
    public void Constructor_PoolSizeOrQuotaBelowOne_NamesTheSetting()
    {
        Assert.Contains("Capture:BrowserPoolSize", Assert.Throws<ArgumentException>(() => new ChromiumRenderer("/usr/bin/chromium", NullLogger<ChromiumRenderer>.Instance, 0, 1)).Message);
        Assert.Contains("Capture:BrowserRecycleAfter", Assert.Throws<ArgumentException>(() => new ChromiumRenderer("/usr/bin/chromium", NullLogger<ChromiumRenderer>.Instance, 1, 0)).Message);
    }

    private static ChromiumRenderer Renderer(int poolSize, int recycleAfter = 100)
    {
        Assert.True(Tools.Chromium is not null, "chromium is not installed: .ci/run must install it (apt-get install chromium)");
        return new ChromiumRenderer(Tools.Chromium!, NullLogger<ChromiumRenderer>.Instance, poolSize, recycleAfter);
    }

    private static string Dom(RenderOutcome outcome) => Encoding.UTF8.GetString(outcome.Dom);

    private async Task<RenderOutcome> RenderAsync(ChromiumRenderer renderer, string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        return await renderer.RenderAsync(new Uri(_site, path), _guard, new Dictionary<string, IPAddress>(), new CaptureOptions(), timeout.Token);
    }
}
