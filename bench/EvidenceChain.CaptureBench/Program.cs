// Captures per minute of a small local page, with and without the browser, and the CPU each costs per process kind.
// Usage: dotnet run -c Release --project bench/EvidenceChain.CaptureBench -- [--captures N] [--concurrency C]
//        [--browser PATH] [--chromium PATH] [--only ROW]
// Captures of a page with an image and a script served by Kestrel on 127.0.0.1, C at a time (default 1), every request
// of the browser intercepted and recorded. Rows: network only; a fresh browser for every capture (Debian's chromium,
// the pool replacing a browser after each page, as before the pool existed); warm browsers of Debian's chromium (a
// pool of C, each replaced after 100 pages; the node's browser until 2026-12-07); warm browsers of Debian's
// chromium-headless-shell (the node's default since). --browser and --chromium name other executables; --only runs
// one row. Before a row, one capture per browser of the pool starts the pool. After each row, the CPU time per capture
// of this process and of each kind of browser process (/proc).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using EvidenceChain.Capture;
using EvidenceChain.Capture.Browser;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

var captures = Option("--captures") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 20;
var shell = Option("--browser") ?? (File.Exists("/usr/bin/chromium-headless-shell") ? "/usr/bin/chromium-headless-shell" : null);
var chromium = Option("--chromium") ?? (File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null);
var concurrency = Option("--concurrency") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : 1;

Console.WriteLine($"load average at start: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?")}");

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
await using var app = builder.Build();
app.MapGet("/", () => Results.Content(
    "<!doctype html><html><head><title>bench</title><script src=\"/a.js\"></script></head><body><h1>Bench page</h1><img src=\"/i.svg\"></body></html>",
    "text/html"));
app.MapGet("/a.js", () => Results.Content("document.title += ' rendered';", "text/javascript"));
app.MapGet("/i.svg", () => Results.Content("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>", "image/svg+xml"));
await app.StartAsync();
var url = app.Urls.First() + "/";

// No session video: encoding it is ffmpeg's time, not the capture's (a rendered capture with ffmpeg adds the scroll,
// at least 0.3 s, and the encoding).
var options = new CaptureOptions { MaxConcurrentCaptures = concurrency, FfmpegPath = "none" };
options.AllowedNetworks.Add("127.0.0.0/8");
await MeasureAsync("network only", null, Math.Max(captures * 5, 50));
if (chromium is not null)
{
    await MeasureAsync("fresh browser per capture (chromium)", new ChromiumRenderer(chromium, NullLogger<ChromiumRenderer>.Instance, concurrency, 1), captures);
    await MeasureAsync("warm browsers (chromium)", new ChromiumRenderer(chromium, NullLogger<ChromiumRenderer>.Instance, concurrency, 100), captures);
}

if (shell is not null)
{
    await MeasureAsync("warm browsers (chromium-headless-shell)", new ChromiumRenderer(shell, NullLogger<ChromiumRenderer>.Instance, concurrency, 100), captures);
}

if (chromium is null && shell is null)
{
    Console.WriteLine("with browser: skipped (no chromium or chromium-headless-shell; pass --browser PATH)");
}

await app.StopAsync();

async Task MeasureAsync(string name, IPageRenderer? renderer, int count)
{
    if (Option("--only") is { } only && name != only)
    {
        (renderer as IDisposable)?.Dispose();
        return;
    }

    using var capturer = new PageCapturer(options, renderer, TimeProvider.System, NullLogger<PageCapturer>.Instance);
    // Warm-up: one capture per browser of the pool, at once, so the pool's browsers are started before the clock runs
    // (a steady node starts a browser only to replace one, after Capture:BrowserRecycleAfter pages).
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        using (await capturer.CaptureAsync(url, render: renderer is not null, default))
        {
        }
    }));

    var before = ProcessCpu.Available ? ProcessCpu.Read() : null;
    var watch = Stopwatch.StartNew();
    var next = 0;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (Interlocked.Increment(ref next) <= count)
        {
            using var result = await capturer.CaptureAsync(url, render: renderer is not null, default);
            if (!result.IsComplete || (renderer is not null && result.Rendering != "rendered"))
            {
                throw new InvalidOperationException($"a capture did not complete: {result.Failure?.Message} / {result.Rendering}");
            }
        }
    }));

    var perMinute = count / watch.Elapsed.TotalMinutes;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: {count} captures, {concurrency} at a time, in {watch.Elapsed.TotalSeconds:F1} s = {perMinute:F0} captures/minute ({watch.Elapsed.TotalMilliseconds / count:F0} ms each)"));
    if (before is not null)
    {
        await Task.Delay(500); // the last pages' renderers end and are reaped
        var after = ProcessCpu.Read();
        var used = ProcessCpu.Between(before, after);
        var total = used.Values.Sum();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  CPU per capture: {total / count:F0} ms (at most {60_000 * Environment.ProcessorCount / Math.Max(1, total / count):F0} captures/minute on {Environment.ProcessorCount} cores)"));
        foreach (var (kind, ms) in used.OrderByDescending(u => u.Value))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {ms / count,7:F1} ms  {kind}"));
        }
    }
}

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
