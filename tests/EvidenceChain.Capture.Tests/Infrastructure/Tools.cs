using System.Diagnostics;

namespace EvidenceChain.Capture.Tests.Infrastructure;

/// <summary>
/// External tools some tests need (node with the npm warcio package, Debian's chromium and ffmpeg). Locally a missing tool skips
/// those tests with the reason; in CI (<c>CI=true</c>, where <c>.ci/run</c> installs them) it fails them instead.
/// </summary>
internal static class Tools
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The repository root (the folder holding EvidenceChain.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static string WarcioFolder => Path.Combine(RepositoryRoot, "tests", "warcio");

    public static string? Node { get; } = FindOnPath("node");

    /// <summary>
    /// The browser the node uses by default (Debian's chromium-headless-shell, else chromium), or the one named by
    /// <c>EVIDENCECHAIN_TEST_BROWSER</c> (to run the browser tests against the other).
    /// </summary>
    public static string? Chromium { get; } =
        Environment.GetEnvironmentVariable("EVIDENCECHAIN_TEST_BROWSER") is { Length: > 0 } browser ? browser
        : new[] { "/usr/bin/chromium-headless-shell", "/usr/bin/chromium" }.FirstOrDefault(File.Exists) ?? FindOnPath("chromium");

    /// <summary>Debian's ffmpeg, which the node uses for session videos (the capture's default path).</summary>
    public static string? Ffmpeg { get; } = File.Exists("/usr/bin/ffmpeg") ? "/usr/bin/ffmpeg" : null;

    public static string? Ffprobe { get; } = File.Exists("/usr/bin/ffprobe") ? "/usr/bin/ffprobe" : null;

    public static string? WarcioMissing =>
        Node is null ? "node is not on PATH"
        : !Directory.Exists(Path.Combine(WarcioFolder, "node_modules", "warcio")) ? "warcio is not installed (run npm ci in tests/warcio)"
        : null;

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EvidenceChain.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EvidenceChain.sln not found above " + AppContext.BaseDirectory);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}

/// <summary>A fact that needs node and warcio: skipped with the reason when they are missing, except in CI.</summary>
public sealed class WarcioFactAttribute : FactAttribute
{
    public WarcioFactAttribute()
    {
        if (Tools.WarcioMissing is { } reason && !Tools.InCi)
        {
            Skip = $"{reason}; CI installs it (.ci/run) and runs this test";
        }
    }
}

/// <summary>A fact that needs Debian's chromium: skipped with the reason when it is missing, except in CI.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Tools.Chromium is null && !Tools.InCi)
        {
            Skip = "chromium is not installed (apt-get install chromium); CI installs it (.ci/run) and runs this test";
        }
    }
}

/// <summary>A fact that needs Debian's chromium and ffmpeg (with ffprobe): skipped with the reason when missing, except in CI.</summary>
public sealed class FfmpegFactAttribute : FactAttribute
{
    public FfmpegFactAttribute()
    {
        if ((Tools.Chromium is null || Tools.Ffmpeg is null || Tools.Ffprobe is null) && !Tools.InCi)
        {
            Skip = "chromium or ffmpeg is not installed (apt-get install chromium ffmpeg); CI installs them (.ci/run) and runs this test";
        }
    }
}
