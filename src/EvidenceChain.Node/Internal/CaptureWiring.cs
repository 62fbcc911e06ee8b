using EvidenceChain.Capture;
using EvidenceChain.Capture.Browser;
using EvidenceChain.Ledger;
using EvidenceChain.Verifier.Timestamps;

namespace EvidenceChain.Node.Internal;

/// <summary>Registers web capture: the <c>Capture</c> settings, the capturer (with Chromium when present) and its intake.</summary>
internal static class CaptureWiring
{
    /// <summary>
    /// The browsers used when Capture:BrowserPath is not set, the first present: Debian's chromium-headless-shell (the
    /// same Blink without the desktop browser around it, about four times less CPU per rendered capture, bench/README.md),
    /// then Debian's chromium.
    /// </summary>
    public static readonly string[] DefaultBrowserPaths = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"];

    public static IServiceCollection AddCapture(this IServiceCollection services, IConfiguration configuration, bool sm3)
    {
        var options = new CaptureOptions();
        configuration.GetSection("Capture").Bind(options);
        options.Sm3 = sm3;
        var browser = options.BrowserPath switch
        {
            null or "" => DefaultBrowserPaths.FirstOrDefault(File.Exists),
            "none" => null,
            var path => path,
        };
        services.AddSingleton(options);
        services.AddSingleton(sp => new PageCapturer(
            options,
            browser is null ? null : new ChromiumRenderer(
                browser, sp.GetRequiredService<ILogger<ChromiumRenderer>>(), options.BrowserPoolSize, options.BrowserRecycleAfter),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PageCapturer>>(),
            TrustedTime(sp.GetRequiredService<NodeTimestamping>())));
        services.AddSingleton(sp => new WebPageIntake(sp.GetRequiredService<EvidenceLedger>(), sp.GetRequiredService<IBlobStore>(), sm3, sp.GetRequiredService<EntryOpenings>()));
        return services;
    }

    /// <summary>
    /// The time of an external TSA (Timestamping:Url) for each capture's environment record, so that the node's clock
    /// is compared with an independent one; null with the built-in TSA, whose time is the node's own clock.
    /// </summary>
    private static Func<CancellationToken, Task<DateTimeOffset?>>? TrustedTime(NodeTimestamping timestamping)
    {
        if (timestamping.Options.Url is null)
        {
            return null;
        }

        var source = timestamping.Timestamper.Source;
        var timeout = timestamping.Options.RequestTimeout;
        return async ct =>
        {
            // One try, bounded by Timestamping:RequestTimeout: a slow or broken TSA must not hold a capture slot.
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try
            {
                var response = await source.TimestampAsync(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), limit.Token);
                return TimestampVerifier.TryReadResponse(response, out var info, out _) ? info.GenTime : null;
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is not OutOfMemoryException)
            {
                return null; // recorded as "the TSA gave no time"; the capture itself goes on
            }
        };
    }
}
