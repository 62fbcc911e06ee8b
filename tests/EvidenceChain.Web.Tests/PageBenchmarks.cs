using System.Diagnostics;
using System.Globalization;
using EvidenceChain.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EvidenceChain.Web.Tests;

/// <summary>
/// The numbers of bench/README.md ("Verification page"), measured in chromium against a real node. Not run by default:
/// set EVIDENCECHAIN_WEB_BENCH=1 (they write a 200 MB file). Each prints its result and appends it to
/// tests/EvidenceChain.Web.Tests/screenshots/bench.txt.
/// </summary>
public sealed class PageBenchmarks(PageFixture fixture, ITestOutputHelper output) : IClassFixture<PageFixture>
{
    private static bool Enabled => Environment.GetEnvironmentVariable("EVIDENCECHAIN_WEB_BENCH") == "1";

    [ChromiumFact]
    public async Task DropToVerdict_ReceiptWithoutArtefacts()
    {
        if (!Enabled)
        {
            return;
        }

        await using var session = await fixture.OpenAsync();
        // The page warms its verification code once it is idle after load (a user takes longer than that to drop a file).
        await session.Page.WaitForSelectorAsync("main[data-warm-ms]", new() { Timeout = 120_000 });
        var warmUp = await session.Page.GetAttributeAsync("main", "data-warm-ms");
        Assert.Null(await session.Page.GetAttributeAsync("main", "data-warm-error"));
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await session.Page.ClickAsync("text=Clear all", new() { Timeout = 1000 }).ContinueWith(_ => { }, TaskScheduler.Default);
            var clock = Stopwatch.StartNew();
            Assert.Equal("pass", await session.VerifyAsync(fixture.Receipt));
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        Report($"drop to verdict, receipt without artefacts: {string.Join(", ", times.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))} ms (first drop after load, then later ones); the warm-up after load took {warmUp} ms");
    }

    [ChromiumFact]
    public async Task HashingThroughput_200MBLocalFile()
    {
        if (!Enabled)
        {
            return;
        }

        var folder = Directory.CreateDirectory(Path.Combine(fixture.Folder, "big")).FullName;
        var big = Path.Combine(folder, "contract.pdf");
        await using (var file = File.Create(big))
        {
            var block = PageFixture.Content(1 << 20, 9);
            for (var i = 0; i < 200; i++)
            {
                await file.WriteAsync(block);
            }
        }

        await using var session = await fixture.OpenAsync();
        await session.Page.WaitForSelectorAsync("main[data-warm-ms]", new() { Timeout = 120_000 });
        var clock = Stopwatch.StartNew();
        // Another file under the same name: hashed in full, then found to differ. Up to 20 minutes (a loaded machine).
        Assert.Equal("fail", await session.AfterRunAsync(() => session.Page.SetInputFilesAsync("#file-input", [fixture.Receipt, big]), 1_200_000));
        var seconds = clock.Elapsed.TotalSeconds;
        Assert.Contains("209715200 bytes", await session.Page.InnerTextAsync("[data-step='artefact file']"), StringComparison.Ordinal);
        Report(string.Create(CultureInfo.InvariantCulture, $"hashing a 200 MiB local file (SHA-256): {seconds:0.0} s, {200 / seconds:0} MiB/s"));
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        Directory.CreateDirectory(Browser.Screenshots);
        File.AppendAllText(Path.Combine(Browser.Screenshots, "bench.txt"), $"{DateTime.UtcNow:O} {line}\n");
    }
}
