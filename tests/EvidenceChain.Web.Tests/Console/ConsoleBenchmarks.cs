using System.Diagnostics;
using System.Globalization;
using EvidenceChain.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EvidenceChain.Web.Tests.Console;

/// <summary>
/// A 1 GiB file preserved from the console, with the browser's memory sampled while it is hashed and sent: the File
/// is read in slices and sent as an XHR body, so the tab's memory stays flat. Not run by default: set
/// EVIDENCECHAIN_WEB_BENCH=1 (it writes a 1 GiB file and the node stores it). Prints its result and appends it to
/// tests/EvidenceChain.Web.Tests/screenshots/bench.txt.
/// </summary>
public sealed class ConsoleBenchmarks(ConsoleBenchmarks.BigFileFixture fixture, ITestOutputHelper output) : IClassFixture<ConsoleBenchmarks.BigFileFixture>
{
    private static bool Enabled => Environment.GetEnvironmentVariable("EVIDENCECHAIN_WEB_BENCH") == "1";

    /// <summary>The console fixture (its 8 MiB limit does not apply: the benchmark's own node takes up to 4 GiB).</summary>
    public sealed class BigFileFixture : IAsyncLifetime
    {
        public ConsoleFixture Console { get; } = new() { FileLimit = 2L << 30 };

        public Task InitializeAsync() => Enabled ? Console.InitializeAsync() : Task.CompletedTask;

        public Task DisposeAsync() => Enabled ? Console.DisposeAsync() : Task.CompletedTask;
    }

    [ChromiumFact]
    public async Task Preserve_OneGibibyte_BrowserMemoryStaysFlat()
    {
        if (!Enabled)
        {
            return;
        }

        var path = Path.Combine(fixture.Console.Folder, "one-gibibyte.bin");
        await using (var file = File.Create(path))
        {
            var block = PageFixture.Content(1 << 20, 77);
            for (var i = 0; i < 1024; i++)
            {
                block[0] = unchecked((byte)i);
                block[1] = unchecked((byte)(i >> 8));
                await file.WriteAsync(block);
            }
        }

        await using var tab = await fixture.Console.SignedInAsync("console/preserve");
        var before = BrowserRss();
        var peak = before;
        var peakHeap = 0L;
        var clock = Stopwatch.StartNew();
        await tab.Page.SetInputFilesAsync("#preserve-input", path);
        while (await tab.Page.GetAttributeAsync("li.upload", "data-state") is "hashing" or "queued" or "uploading" or "storing")
        {
            peak = Math.Max(peak, BrowserRss());
            peakHeap = Math.Max(peakHeap, await tab.Page.EvaluateAsync<long>("() => performance.memory.usedJSHeapSize"));
            await Task.Delay(500);
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(10), "the upload took over 10 minutes");
        }

        Assert.Equal("done", await tab.Page.GetAttributeAsync("li.upload", "data-state"));
        var line = string.Create(CultureInfo.InvariantCulture,
            $"console preserve 1 GiB: {clock.Elapsed.TotalSeconds:0.0} s (hash + upload); chromium RSS {before / 1048576} MiB before, peak {peak / 1048576} MiB; peak JS heap {peakHeap / 1048576} MiB");
        output.WriteLine(line);
        Directory.CreateDirectory(Browser.Screenshots);
        await File.AppendAllTextAsync(Path.Combine(Browser.Screenshots, "bench.txt"), line + "\n");
        Assert.True(peak - before < 256L << 20, line);
    }

    // The resident memory of the chromium processes this test process started (Playwright's browser), from /proc.
    private static long BrowserRss()
    {
        var children = new Dictionary<int, List<int>>();
        var names = new Dictionary<int, string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                names[pid] = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..close];
                var parent = int.Parse(stat[(close + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
            }
            catch (IOException)
            {
            }
        }

        long total = 0;
        var pending = new Stack<int>([Environment.ProcessId]);
        while (pending.TryPop(out var pid))
        {
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                pending.Push(child);
                if (names.GetValueOrDefault(child)?.StartsWith("chromium", StringComparison.Ordinal) == true)
                {
                    try
                    {
                        var rss = File.ReadLines($"/proc/{child}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                        total += rss is null ? 0 : long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        }

        return total;
    }
}
