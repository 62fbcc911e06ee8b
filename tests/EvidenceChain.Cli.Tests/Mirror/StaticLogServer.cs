using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Cli.Tests.Mirror;

/// <summary>
/// A plain static file server (ASP.NET Core static files on Kestrel, 127.0.0.1 port 0) over a folder, as a court
/// would serve its mirror with any web server: it knows nothing of logs. It records the paths asked for, and can be
/// told to answer 503 from the Nth request on, to cut a mirror run short.
/// </summary>
internal sealed class StaticLogServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private StaticLogServer(WebApplication app, string folder)
    {
        _app = app;
        Folder = folder;
    }

    /// <summary>The folder served.</summary>
    public string Folder { get; }

    /// <summary>The server's root URL, with a trailing slash.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>Every path requested, in order (without the leading slash).</summary>
    public ConcurrentQueue<string> Requested { get; } = new();

    /// <summary>From this many requests on, answer 503 (null: never).</summary>
    public int? FailFrom { get; set; }

    public static async Task<StaticLogServer> StartAsync(string folder)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new StaticLogServer(app, folder);
        app.Use(async (context, next) =>
        {
            server.Requested.Enqueue(context.Request.Path.Value!.TrimStart('/'));
            if (Interlocked.Increment(ref server._requests) > server.FailFrom)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            await next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(folder),
            ServeUnknownFileTypes = true,
            DefaultContentType = "application/octet-stream",
        });
        await app.StartAsync();
        server.Url = app.Services.GetService(typeof(IServer)) is IServer s && s.Features.Get<IServerAddressesFeature>() is { } addresses
            ? addresses.Addresses.First().TrimEnd('/') + "/"
            : throw new InvalidOperationException("no address");
        return server;
    }

    /// <summary>Forgets the requests so far and stops failing.</summary>
    public void Reset()
    {
        Requested.Clear();
        FailFrom = null;
        _requests = 0;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
