using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Node.IntegrationTests.Jobs;

/// <summary>
/// A local site on 127.0.0.1 (port 0) for capture jobs and watches: numbered pages (those from
/// <see cref="GateFrom"/> on wait for <see cref="OpenGate"/>), and /watched, whose body and status a test sets.
/// </summary>
public sealed class JobSite : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string _body = "<html><body>version 1</body></html>";
    private volatile int _status = 200;

    public Uri Base { get; private set; } = null!;

    /// <summary>Pages with a number at least this wait for the gate (default: none).</summary>
    public int GateFrom { get; set; } = int.MaxValue;

    /// <summary>How many requests for pages at or above <see cref="GateFrom"/> are waiting.</summary>
    public int Waiting => _hits.GetValueOrDefault("waiting");

    public static async Task<JobSite> StartAsync()
    {
        var site = new JobSite();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? http = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => { o.Protocols = HttpProtocols.Http1; http = o; }));
        var app = builder.Build();
        app.MapGet("/p/{n:int}", async (HttpContext context, int n) =>
        {
            site._hits.AddOrUpdate("/p/" + n, 1, (_, c) => c + 1);
            if (n >= site.GateFrom)
            {
                site._hits.AddOrUpdate("waiting", 1, (_, c) => c + 1);
                try
                {
                    await site._gate.Task.WaitAsync(context.RequestAborted);
                }
                finally
                {
                    site._hits.AddOrUpdate("waiting", 0, (_, c) => c - 1);
                }
            }

            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync($"<html><body>page {n}</body></html>");
        });
        app.MapGet("/watched", async context =>
        {
            context.Response.StatusCode = site._status;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync(site._body);
        });
        await app.StartAsync();
        site._app = app;
        site.Base = new Uri($"http://127.0.0.1:{http!.IPEndPoint!.Port}/");
        return site;
    }

    public string Page(int n) => new Uri(Base, "/p/" + n).AbsoluteUri;

    public string Watched => new Uri(Base, "/watched").AbsoluteUri;

    /// <summary>How many times page <paramref name="n"/> was asked for.</summary>
    public int Hits(int n) => _hits.GetValueOrDefault("/p/" + n);

    public void OpenGate() => _gate.TrySetResult();

    public void Serve(int status, string body)
    {
        _status = status;
        _body = body;
    }

    public async ValueTask DisposeAsync()
    {
        _gate.TrySetResult();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
