using EvidenceChain.Capture;
using EvidenceChain.Capture.Browser;
using EvidenceChain.Ledger;

namespace EvidenceChain.Node.Internal;

/// <summary>Registers web capture: the <c>Capture</c> settings, the capturer (with Chromium when present) and its intake.</summary>
internal static class CaptureWiring
{
    /// <summary>Debian's chromium, used when Capture:BrowserPath is not set.</summary>
    public const string DefaultBrowserPath = "/usr/bin/chromium";

    public static IServiceCollection AddCapture(this IServiceCollection services, IConfiguration configuration, bool sm3)
    {
        var options = new CaptureOptions();
        configuration.GetSection("Capture").Bind(options);
        options.Sm3 = sm3;
        var browser = options.BrowserPath switch
        {
            null or "" => File.Exists(DefaultBrowserPath) ? DefaultBrowserPath : null,
            "none" => null,
            var path => path,
        };
        services.AddSingleton(sp => new PageCapturer(
            options,
            browser is null ? null : new ChromiumRenderer(browser, sp.GetRequiredService<ILogger<ChromiumRenderer>>()),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PageCapturer>>()));
        services.AddSingleton(sp => new WebPageIntake(sp.GetRequiredService<EvidenceLedger>(), sp.GetRequiredService<IBlobStore>(), sm3));
        return services;
    }
}
