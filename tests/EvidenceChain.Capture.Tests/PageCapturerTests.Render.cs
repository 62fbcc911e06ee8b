using System.Net;
using EvidenceChain.Capture.Browser;
using EvidenceChain.Capture.Guard;
using EvidenceChain.Capture.Tests.Infrastructure;

namespace EvidenceChain.Capture.Tests;

public sealed partial class PageCapturerTests
{
    [Fact]
    public async Task CaptureAsync_Render_HandsTheBrowserTheAddressesTheCaptureUsed()
    {
        var renderer = new RecordingRenderer();
        using var capturer = Capturers.Create(renderer: renderer);

        using var result = await capturer.CaptureAsync($"http://localhost:{_site.Http.Port}/redirect-to?url=" + Uri.EscapeDataString(_site.Url("/page.html").AbsoluteUri), render: true, default);

        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Equal("rendered", result.Rendering);
        Assert.Equal(IPAddress.Loopback, renderer.Pinned!["localhost"]);
        Assert.Equal(IPAddress.Loopback, renderer.Pinned["127.0.0.1"]);
    }

    private sealed class RecordingRenderer : IPageRenderer
    {
        public IReadOnlyDictionary<string, IPAddress>? Pinned { get; private set; }

        public string Description => "recording renderer";

        public Task<RenderOutcome> RenderAsync(
            Uri url, AddressGuard guard, IReadOnlyDictionary<string, IPAddress> pinned, CaptureOptions options, CancellationToken cancellationToken)
        {
            Pinned = pinned;
            return Task.FromResult(new RenderOutcome(FixtureSite.Png, "<html></html>"u8.ToArray(), DateTimeOffset.UtcNow, [], []));
        }
    }
}
