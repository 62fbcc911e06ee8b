using Microsoft.Playwright;

namespace EvidenceChain.Web.Tests.Infrastructure;

/// <summary>
/// Debian's chromium driven by Playwright: the system executable, never a downloaded browser. Locally a missing
/// chromium skips the tests that need it; in CI (<c>CI=true</c>, where <c>.ci/run</c> installs it) it fails them.
/// </summary>
internal static class Browser
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? Chromium { get; } = File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null;

    /// <summary>The repository root (the folder holding EvidenceChain.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Where the tests write their screenshots (ignored by git): tests/EvidenceChain.Web.Tests/screenshots.</summary>
    public static string Screenshots { get; } = Path.Combine(RepositoryRoot, "tests", "EvidenceChain.Web.Tests", "screenshots");

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium ?? throw new InvalidOperationException("chromium is not installed (apt-get install chromium)"),
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        return (playwright, browser);
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
}

/// <summary>A fact that needs Debian's chromium: skipped with the reason when it is missing, except in CI.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Browser.Chromium is null && !Browser.InCi)
        {
            Skip = "chromium is not installed (apt-get install chromium); CI installs it (.ci/run) and runs this test";
        }
    }
}
