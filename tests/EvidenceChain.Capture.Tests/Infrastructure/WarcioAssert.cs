using System.Text.Json;

namespace EvidenceChain.Capture.Tests.Infrastructure;

/// <summary>Checks a WARC with the npm warcio package (tests/warcio): every digest, and what its CDX index lists.</summary>
internal static class WarcioAssert
{
    /// <summary>
    /// Every digest matches (check-warc.mjs), and warcio's CDX index (what a replayer such as pywb looks pages up in)
    /// lists a response for each of <paramref name="urls"/>. Skipped where warcio is missing, except in CI.
    /// </summary>
    public static async Task IndexesAsync(string warc, IEnumerable<string> urls)
    {
        if (Tools.WarcioMissing is { } missing)
        {
            Assert.False(Tools.InCi, $"{missing}: .ci/run must install node and run npm ci in tests/warcio");
            return;
        }

        var (code, output) = await Tools.RunAsync(Tools.Node!, Tools.WarcioFolder, "check-warc.mjs", warc);
        Assert.True(code == 0, $"check-warc.mjs exited {code}:\n{output}");
        var cli = Path.Combine(Tools.WarcioFolder, "node_modules", "warcio", "dist", "cli.js");
        (code, output) = await Tools.RunAsync(Tools.Node!, Tools.WarcioFolder, cli, "cdx-index", warc);
        Assert.True(code == 0, $"warcio cdx-index exited {code}:\n{output}");
        var indexed = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line[(line.IndexOf('{', StringComparison.Ordinal))..]).RootElement)
            .Where(e => e.TryGetProperty("status", out _))
            .Select(e => e.GetProperty("url").GetString())
            .ToHashSet(StringComparer.Ordinal);
        Assert.All(urls, url => Assert.Contains(url, indexed));
    }
}
