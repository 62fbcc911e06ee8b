using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Capture.Tests.Infrastructure;

/// <summary>
/// A local web site on 127.0.0.1 (port 0) serving capture fixtures over http and, with a self-signed certificate,
/// https: a page with an image and a script, redirects, gzip, chunked, a slow endpoint, a huge body, and pages that
/// point at guarded addresses. One per test class (an xunit class fixture).
/// </summary>
public sealed class FixtureSite : IAsyncLifetime
{
    /// <summary>The text the fixture script adds to the page, so a rendered DOM can be told from the served HTML.</summary>
    public const string ScriptMarker = "added-by-app-js";

    /// <summary>The text /second-origin.js adds to the page it is loaded into.</summary>
    public const string SecondOriginMarker = "added-by-second-origin-js";

    public const int HugeBytes = 4 << 20;

    /// <summary>The body size of each /big-redirect hop.</summary>
    public const int BigRedirectBodyBytes = 512 << 10;

    private readonly ConcurrentQueue<string> _requests = new();
    private WebApplication? _app;

    public Uri Http { get; private set; } = null!;

    public Uri Https { get; private set; } = null!;

    /// <summary>The https endpoint's certificate (self-signed for localhost and 127.0.0.1).</summary>
    public X509Certificate2 Certificate { get; } = CreateCertificate();

    /// <summary>How many requests reached /slow (so tests can await the capture being under way).</summary>
    public TaskCompletionSource SlowStarted { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static string PageHtml => """
        <!doctype html>
        <html><head><title>Fixture page</title><script src="/app.js"></script></head>
        <body><h1>Evidence fixture</h1><p id="text">The served text.</p><img src="/img.png" alt="pixel"></body></html>
        """;

    public static byte[] Png { get; } = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    public Uri Url(string path) => new(Http, path);

    /// <summary>Every request the site received since <see cref="ClearRequests"/>, as "METHOD /path?query", in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public void ClearRequests() => _requests.Clear();

    public void ResetSlow() => SlowStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? http = null, https = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => { o.Protocols = HttpProtocols.Http1; http = o; });
            k.Listen(IPAddress.Loopback, 0, o => { o.Protocols = HttpProtocols.Http1; o.UseHttps(Certificate); https = o; });
        });
        _app = builder.Build();
        Map(_app);
        await _app.StartAsync();
        Http = new Uri($"http://127.0.0.1:{http!.IPEndPoint!.Port}/");
        Https = new Uri($"https://127.0.0.1:{https!.IPEndPoint!.Port}/");
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
            _requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            await next(context);
        });
        app.MapGet("/page.html", () => Results.Content(PageHtml, "text/html; charset=utf-8"));
        app.MapGet("/img.png", () => Results.Bytes(Png, "image/png"));
        app.MapGet("/app.js", () => Results.Content(
            $"document.addEventListener('DOMContentLoaded', () => {{ const p = document.createElement('p'); p.id = 'js'; p.textContent = '{ScriptMarker}'; document.body.appendChild(p); }});",
            "text/javascript"));
        app.MapGet("/second-origin.js", () => Results.Content(
            $"{{ const p = document.createElement('p'); p.textContent = '{SecondOriginMarker}'; document.body.appendChild(p); }}",
            "text/javascript"));
        app.MapGet("/huge-dom.html", () => Results.Content(
            """
            <!doctype html>
            <html><body><div style="width:20000px;height:40px;background:#c00"></div><p id="huge"></p>
            <script>document.getElementById('huge').textContent = 'x'.repeat(40e6);</script></body></html>
            """, "text/html; charset=utf-8"));
        app.MapGet("/big-dom.html", () => Results.Content(
            """
            <!doctype html>
            <html><body><p id="big"></p>
            <script>document.getElementById('big').textContent = 'x'.repeat(3e6);</script></body></html>
            """, "text/html; charset=utf-8"));
        app.MapGet("/redirect/{n:int}", (int n) => Results.Redirect(n <= 0 ? "/page.html" : $"/redirect/{n - 1}"));
        app.MapGet("/big-redirect/{n:int}", async (HttpContext context, int n) =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = n <= 0 ? "/page.html" : $"/big-redirect/{n - 1}";
            context.Response.ContentType = "text/html";
            context.Response.ContentLength = BigRedirectBodyBytes;
            try
            {
                await context.Response.Body.WriteAsync(new byte[BigRedirectBodyBytes], context.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
            }
        });
        app.MapGet("/redirect-to", (string url) => Results.Redirect(url));
        app.MapGet("/gzip", async context =>
        {
            var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                await gzip.WriteAsync(Encoding.UTF8.GetBytes(PageHtml));
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentLength = compressed.Length;
            await context.Response.Body.WriteAsync(compressed.ToArray());
        });
        app.MapGet("/chunked", async context =>
        {
            context.Response.ContentType = "text/plain";
            foreach (var part in new[] { "first part\n", "second part\n", "third part\n" })
            {
                await context.Response.WriteAsync(part);
                await context.Response.Body.FlushAsync();
            }
        });
        app.MapGet("/slow", async context =>
        {
            SlowStarted.TrySetResult();
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("starting\n");
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });
        app.MapGet("/huge", async context =>
        {
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = HugeBytes;
            var block = new byte[64 * 1024];
            try
            {
                for (var sent = 0; sent < HugeBytes; sent += block.Length)
                {
                    await context.Response.Body.WriteAsync(block, context.RequestAborted);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
            }
        });
        app.MapGet("/guarded-image.html", (string target) => Results.Content(
            $"<!doctype html><html><body><p>guarded</p><img src=\"{target}\"></body></html>", "text/html"));
    }

    internal static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=evidencechain fixture", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }
}
