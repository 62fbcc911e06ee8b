using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Capture.Tests.Infrastructure;

/// <summary>
/// A site whose page needs a bit of everything — a stylesheet with a web font, a script from an https host with a
/// self-signed certificate, an image behind a redirect to another host name, fetch() and XMLHttpRequest, and an image
/// on an address the guard refuses — and which serves every resource differently each time it is asked (a counter in
/// the body), so a page rendered from anything but the first answers shows it. Listens on 127.0.0.1 (http and https)
/// and on 127.0.0.2 (http: the refused address, which the capture must never reach). Counts every request per URL.
/// </summary>
public sealed class RecordedSite : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public Uri Http { get; private set; } = null!;

    public Uri Https { get; private set; } = null!;

    /// <summary>The same http server under another host name (<c>localhost</c>): the redirect goes across hosts.</summary>
    public Uri OtherHost => new($"http://localhost:{Http.Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The listener on 127.0.0.2, an address the tests' guard refuses.</summary>
    public Uri Refused { get; private set; } = null!;

    public X509Certificate2 Certificate { get; } = FixtureSite.CreateCertificate();

    public Uri Page => new(Http, "/rec/page.html");

    /// <summary>Every URL the site needs for its page, as the browser asks for them (the refused image aside).</summary>
    public IReadOnlyList<string> Resources =>
    [
        Page.AbsoluteUri, new Uri(Http, "/rec/style.css").AbsoluteUri, new Uri(Http, "/rec/font.woff2").AbsoluteUri,
        new Uri(Https, "/rec/app.js").AbsoluteUri, new Uri(Http, "/rec/moved.png").AbsoluteUri, new Uri(OtherHost, "/rec/img.png").AbsoluteUri,
        new Uri(Http, "/rec/data.json").AbsoluteUri, new Uri(Http, "/rec/xhr.txt").AbsoluteUri,
        new Uri(Http, "/rec/worker.js").AbsoluteUri, new Uri(Http, "/rec/worker.txt").AbsoluteUri,
        new Uri(OtherHost, "/rec/frame.html").AbsoluteUri, new Uri(OtherHost, "/rec/frame.png").AbsoluteUri,
    ];

    public string RefusedImage => new Uri(Refused, "/rec/secret.png").AbsoluteUri;

    /// <summary>How many requests reached each URL ("scheme://host:port/path"), since the start.</summary>
    public IReadOnlyDictionary<string, int> Hits => _hits;

    public string PageHtml => $$"""
        <!doctype html>
        <html><head><title>recorded page</title>
        <link rel="stylesheet" href="/rec/style.css">
        <script src="{{new Uri(Https, "/rec/app.js").AbsoluteUri}}"></script>
        </head>
        <body><h1 class="f">Everything the browser saw</h1>
        <img id="moved" src="/rec/moved.png" alt="redirected">
        <img id="secret" src="{{RefusedImage}}" alt="refused">
        <p id="fetch">fetch pending</p><p id="xhr">xhr pending</p><p id="style">style pending</p><p id="worker">worker pending</p>
        <iframe src="{{new Uri(OtherHost, "/rec/frame.html").AbsoluteUri}}" width="200" height="100"></iframe>
        <script>
        const w = new Worker('/rec/worker.js');
        w.onmessage = e => { document.getElementById('worker').textContent = 'worker ' + e.data; };
        fetch('/rec/data.json').then(r => r.json()).then(j => { document.getElementById('fetch').textContent = 'fetch ' + j.serve; });
        const x = new XMLHttpRequest();
        x.open('GET', '/rec/xhr.txt');
        x.onload = () => { document.getElementById('xhr').textContent = 'xhr ' + x.responseText; };
        x.send();
        window.addEventListener('load', () => {
          document.getElementById('style').textContent = 'style ' + getComputedStyle(document.body).backgroundColor;
        });
        </script>
        </body></html>
        """;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? http = null, https = null, refused = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => { o.Protocols = HttpProtocols.Http1; http = o; });
            k.Listen(IPAddress.Loopback, 0, o => { o.Protocols = HttpProtocols.Http1; o.UseHttps(Certificate); https = o; });
            k.Listen(IPAddress.Parse("127.0.0.2"), 0, o => { o.Protocols = HttpProtocols.Http1; refused = o; });
        });
        _app = builder.Build();
        Map(_app);
        await _app.StartAsync();
        Http = new Uri($"http://127.0.0.1:{http!.IPEndPoint!.Port.ToString(CultureInfo.InvariantCulture)}/");
        Https = new Uri($"https://127.0.0.1:{https!.IPEndPoint!.Port.ToString(CultureInfo.InvariantCulture)}/");
        Refused = new Uri($"http://127.0.0.2:{refused!.IPEndPoint!.Port.ToString(CultureInfo.InvariantCulture)}/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Certificate.Dispose();
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var url = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}{context.Request.QueryString}";
            var serve = _hits.AddOrUpdate(new Uri(url).AbsoluteUri, 1, (_, n) => n + 1);
            context.Items["serve"] = serve;
            await next(context);
        });
        static int Serve(HttpContext c) => (int)c.Items["serve"]!;
        app.MapGet("/rec/page.html", () => Results.Content(PageHtml, "text/html; charset=utf-8"));

        // First answer green, any later one red: the rendered style shows which the browser got.
        app.MapGet("/rec/style.css", (HttpContext c) => Results.Content(
            $$"""
            @font-face { font-family: Recorded; src: url(/rec/font.woff2) format("woff2"); }
            body { background: {{(Serve(c) == 1 ? "rgb(0, 128, 0)" : "rgb(255, 0, 0)")}}; }
            .f { font-family: Recorded, sans-serif; }
            """, "text/css"));
        app.MapGet("/rec/font.woff2", (HttpContext c) => Results.Bytes([.. "wOF2"u8, (byte)Serve(c), 0, 0, 0], "font/woff2"));
        app.MapGet("/rec/app.js", (HttpContext c) => Results.Content(
            $"document.addEventListener('DOMContentLoaded', () => {{ const p = document.createElement('p'); p.id = 'https'; p.textContent = 'https script {Serve(c)}'; document.body.appendChild(p); }});",
            "text/javascript"));
        app.MapGet("/rec/moved.png", () => Results.Redirect(new Uri(OtherHost, "/rec/img.png").AbsoluteUri));
        app.MapGet("/rec/img.png", () => Results.Bytes(FixtureSite.Png, "image/png"));
        app.MapGet("/rec/data.json", (HttpContext c) => Results.Json(new { serve = Serve(c) }));
        app.MapGet("/rec/xhr.txt", (HttpContext c) => Results.Text(Serve(c).ToString(CultureInfo.InvariantCulture)));
        app.MapGet("/rec/worker.js", () => Results.Content(
            "fetch('/rec/worker.txt').then(r => r.text()).then(t => postMessage(t));", "text/javascript"));
        app.MapGet("/rec/worker.txt", (HttpContext c) => Results.Text(Serve(c).ToString(CultureInfo.InvariantCulture)));
        app.MapGet("/rec/frame.html", () => Results.Content(
            "<!doctype html><html><body><p>another site's frame</p><img src=\"/rec/frame.png\"></body></html>", "text/html"));
        app.MapGet("/rec/frame.png", () => Results.Bytes(FixtureSite.Png, "image/png"));
        app.MapGet("/rec/sw.html", () => Results.Content(
            """
            <!doctype html><html><body><p id="sw">service worker pending</p><script>
            navigator.serviceWorker.register('/rec/sw.js').then(r => navigator.serviceWorker.ready)
              .then(() => fetch('/rec/sw-data.txt')).then(r => r.text())
              .then(t => { document.getElementById('sw').textContent = 'service worker ' + t; },
                    e => { document.getElementById('sw').textContent = 'service worker failed ' + e; });
            </script></body></html>
            """, "text/html"));
        app.MapGet("/rec/sw.js", () => Results.Content(
            "self.addEventListener('install', e => e.waitUntil(fetch('/rec/sw-install.txt'))); self.addEventListener('activate', e => e.waitUntil(clients.claim()));",
            "text/javascript"));
        app.MapGet("/rec/sw-install.txt", (HttpContext c) => Results.Text(Serve(c).ToString(CultureInfo.InvariantCulture)));
        app.MapGet("/rec/sw-data.txt", (HttpContext c) => Results.Text(Serve(c).ToString(CultureInfo.InvariantCulture)));
        app.MapGet("/rec/ws.html", (HttpContext c) => Results.Content(
            $"<!doctype html><html><body><p>web socket</p><script>new WebSocket('ws://{c.Request.Host}/rec/ws');</script></body></html>", "text/html"));
        app.MapGet("/rec/secret.png", () => Results.Bytes(FixtureSite.Png, "image/png"));

        // After load, the page waits 300 ms, then asks for a resource the site answers only after 1.2 s: network idle
        // (nothing waiting, nothing asked or answered for 500 ms) comes after both.
        app.MapGet("/rec/late/page.html", () => Results.Content(
            """
            <!doctype html><html><body><p id="late">late pending</p><script>
            addEventListener('load', () => setTimeout(() => fetch('/rec/late/first.txt').then(r => r.text())
              .then(t => fetch('/rec/late/slow.txt').then(r => r.text()).then(s => { document.getElementById('late').textContent = 'late ' + t + ' slow ' + s; })), 300));
            </script></body></html>
            """, "text/html"));
        app.MapGet("/rec/late/first.txt", (HttpContext c) => Results.Text(Serve(c).ToString(CultureInfo.InvariantCulture)));
        app.MapGet("/rec/late/slow.txt", async (HttpContext c) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1.2), c.RequestAborted);
            return Results.Text(Serve(c).ToString(CultureInfo.InvariantCulture));
        });

        // A session cookie from the page's own response (HttpOnly: only the browser's jar has it), one set by script,
        // one from a fetched resource's response; the last resource answers only to a request carrying all three.
        app.MapGet("/rec/cookie.html", (HttpContext c) =>
        {
            c.Response.Headers.SetCookie = "session=s1; Path=/; HttpOnly";
            return Results.Content(
                """
                <!doctype html><html><body><p id="cookie">cookie pending</p><script>
                document.cookie = 'js=j1; path=/';
                fetch('/rec/set-cookie.txt').then(() => fetch('/rec/needs-cookie.txt'))
                  .then(r => r.text()).then(t => { document.getElementById('cookie').textContent = 'cookie ' + t; });
                </script></body></html>
                """, "text/html");
        });
        app.MapGet("/rec/set-cookie.txt", (HttpContext c) =>
        {
            c.Response.Headers.SetCookie = "later=l1; Path=/rec";
            return Results.Text("set");
        });
        app.MapGet("/rec/needs-cookie.txt", (HttpContext c) =>
            c.Request.Cookies["session"] == "s1" && c.Request.Cookies["js"] == "j1" && c.Request.Cookies["later"] == "l1"
                ? Results.Text("ok")
                : Results.Text("refused: Cookie was " + c.Request.Headers.Cookie, statusCode: 403));
    }
}
