using EvidenceChain.Capture.Browser;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Capture.Tests.Infrastructure;

/// <summary>Capturers for tests: the fixture site's loopback network allow-listed, short limits.</summary>
internal static class Capturers
{
    public static CaptureOptions Options(Action<CaptureOptions>? change = null)
    {
        var options = new CaptureOptions { Timeout = TimeSpan.FromSeconds(20), MaxResponseBytes = 1 << 20, MaxRedirects = 5 };
        options.AllowedNetworks.Add("127.0.0.0/8");
        change?.Invoke(options);
        return options;
    }

    public static PageCapturer Create(Action<CaptureOptions>? change = null, IPageRenderer? renderer = null) =>
        new(Options(change), renderer, TimeProvider.System, NullLogger<PageCapturer>.Instance);
}
