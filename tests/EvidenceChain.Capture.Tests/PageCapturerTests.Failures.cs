using System.Net;
using System.Net.Sockets;
using EvidenceChain.Capture.Tests.Infrastructure;
using EvidenceChain.Capture.Warc;

namespace EvidenceChain.Capture.Tests;

public sealed partial class PageCapturerTests
{
    [Fact]
    public async Task CaptureAsync_SlowServer_FailsWithTimeoutAndKeepsWhatArrived()
    {
        using var capturer = Capturers.Create(o => o.Timeout = TimeSpan.FromSeconds(5)); // the head arrives at once; the body never ends

        using var result = await capturer.CaptureAsync(_site.Url("/slow").AbsoluteUri, render: false, default);

        Assert.Equal(CaptureFailureReason.Timeout, result.Failure?.Reason);
        Assert.Contains("Capture:Timeout", result.Failure!.Message);
        var response = CaptureAssert.Consistent(result).Single(r => r.Type == "response");
        Assert.Equal("time", response.Get(WarcFields.Truncated));
        Assert.Contains("starting", CaptureAssert.Text(response));
        Assert.DoesNotContain(result.Artefacts, a => a.Name == "payload");
    }

    [Fact]
    public async Task CaptureAsync_HugeBody_FailsAsTooLargeWithTheRecordTruncatedAtTheLimit()
    {
        const int limit = 100_000;
        using var capturer = Capturers.Create(o => o.MaxResponseBytes = limit);

        using var result = await capturer.CaptureAsync(_site.Url("/huge").AbsoluteUri, render: false, default);

        Assert.Equal(CaptureFailureReason.TooLarge, result.Failure?.Reason);
        Assert.Contains("Capture:MaxResponseBytes", result.Failure!.Message);
        var response = CaptureAssert.Consistent(result).Single(r => r.Type == "response");
        Assert.Equal("length", response.Get(WarcFields.Truncated));
        Assert.Equal(limit, response.Block.Length);
    }

    [Fact]
    public async Task CaptureAsync_FailureOfAUrlWithAQuery_LogsNoQueryButTheRecordKeepsTheUrl()
    {
        const string secret = "s3cret-token";
        var logger = new ListLogger<PageCapturer>();
        using var capturer = new PageCapturer(Capturers.Options(o => o.MaxResponseBytes = 100_000), null, TimeProvider.System, logger);
        var huge = _site.Url("/huge?token=" + secret).AbsoluteUri;
        var url = _site.Url("/redirect-to?token=" + secret + "&url=" + Uri.EscapeDataString(huge)).AbsoluteUri;

        using var result = await capturer.CaptureAsync(url, render: false, default);

        Assert.Equal(CaptureFailureReason.TooLarge, result.Failure?.Reason);
        Assert.Contains(huge, result.Failure!.Message); // the record names the URL exactly: that is evidence
        var logged = Assert.Single(logger.Messages);
        Assert.Contains(_site.Url("/huge").AbsoluteUri, logged);
        Assert.DoesNotContain(secret, logged);
        Assert.DoesNotContain("?", logged);
    }

    [Fact]
    public async Task CaptureAsync_ClosedPort_FailsAsConnectFailed()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var capturer = Capturers.Create();

        using var result = await capturer.CaptureAsync($"http://127.0.0.1:{port}/", render: false, default);

        Assert.Equal(CaptureFailureReason.ConnectFailed, result.Failure?.Reason);
        Assert.Contains($"127.0.0.1:{port}", result.Failure!.Message);
        var records = CaptureAssert.Consistent(result);
        Assert.DoesNotContain(records, r => r.Type == "response");
        Assert.Contains("connect-failed", CaptureAssert.Text(records.Single(r => r.Type == "metadata")).Replace("\"failureReason\": ", string.Empty));
    }

    [Fact]
    public async Task CaptureAsync_UnresolvableHost_FailsAsDnsFailureAndRecordsTheLookup()
    {
        using var capturer = Capturers.Create();

        using var result = await capturer.CaptureAsync("http://no-such-host.invalid/", render: false, default);

        Assert.Equal(CaptureFailureReason.DnsFailure, result.Failure?.Reason);
        Assert.Contains("no-such-host.invalid", result.Failure!.Message);
        var dns = CaptureAssert.Text(CaptureAssert.Consistent(result).Single(r => r.TargetUri == "dns:no-such-host.invalid"));
        Assert.Contains("error: ", dns);
        Assert.Contains("used: none", dns);
    }

    [Theory]
    [InlineData("http://127.0.0.1/", "loopback-address")]
    [InlineData("http://10.0.0.5/", "private-address")]
    [InlineData("http://100.64.1.1/", "shared-address-space")]
    [InlineData("http://169.254.1.1/", "link-local-address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "cloud-metadata-address")]
    [InlineData("http://[fd00:ec2::254]/", "cloud-metadata-address")]
    [InlineData("http://[fc00::1]/", "unique-local-address")]
    [InlineData("http://[::1]/", "loopback-address")]
    [InlineData("http://[::ffff:127.0.0.1]/", "loopback-address")]
    [InlineData("http://[::ffff:10.0.0.1]/", "private-address")]
    [InlineData("http://224.0.0.1/", "multicast-address")]
    [InlineData("http://255.255.255.255/", "broadcast-address")]
    [InlineData("http://0.0.0.0/", "unspecified-address")]
    [InlineData("http://2130706433/", "loopback-address")]
    [InlineData("http://0x7f.1/", "loopback-address")]
    [InlineData("http://localhost/", "loopback-address")]
    [InlineData("http://0177.0.0.1/", "loopback-address")]
    [InlineData("http://127.1/", "loopback-address")]
    [InlineData("http://0x7f.0.0.1/", "loopback-address")]
    [InlineData("http://127.0.0.1./", "non-canonical-host")]
    [InlineData("http://localhost./", "non-canonical-host")]
    [InlineData("http://[fe80::1%25eth0]/", "non-canonical-host")]
    [InlineData("ftp://example.org/", "scheme")]
    [InlineData("file:///etc/passwd", "url")]
    [InlineData("http://user:secret@example.org/", "credentials")]
    [InlineData("not a url", "url")]
    public async Task CaptureAsync_GuardedUrl_IsRefusedNamingTheRuleAndRecordsNothing(string url, string rule)
    {
        var work = Path.Combine(Path.GetTempPath(), "ec-refused-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            using var capturer = new PageCapturer(new CaptureOptions(), null, TimeProvider.System,
                Microsoft.Extensions.Logging.Abstractions.NullLogger<PageCapturer>.Instance, workFolder: work);

            var e = await Assert.ThrowsAsync<CaptureRefusedException>(() => capturer.CaptureAsync(url, render: false, default));

            Assert.Equal(rule, e.Rule);
            Assert.StartsWith("refused: ", e.Message.Replace("localhost resolves to: ", string.Empty));
            if (rule.EndsWith("-address", StringComparison.Ordinal))
            {
                Assert.EndsWith("allow it with Capture:AllowedNetworks", e.Message.Split(" (and ")[0]);
            }

            Assert.Empty(Directory.GetFileSystemEntries(work));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1./", "non-canonical-host")]
    [InlineData("http://127.0.0.1.:8080/", "non-canonical-host")]
    [InlineData("http://0x7f.1./", "non-canonical-host")]
    [InlineData("http://2130706433./", "non-canonical-host")]
    [InlineData("http://169.254.169.254./latest/meta-data/", "non-canonical-host")]
    [InlineData("http://localhost./", "non-canonical-host")]
    [InlineData("http://09.0.0.1/", "non-canonical-host")]
    [InlineData("http://4294967296/", "non-canonical-host")]
    [InlineData("http://１２７.０.０.１/", "non-canonical-host")]
    [InlineData("http://[fe80::1%25eth0]/", "non-canonical-host")]
    [InlineData("http://[::1%251]/", "non-canonical-host")]
    [InlineData("http://0177.0.0.1/", "loopback-address")]
    [InlineData("http://0x7f.1/", "loopback-address")]
    [InlineData("http://127.1/", "loopback-address")]
    [InlineData("http://2130706433/", "loopback-address")]
    [InlineData("http://0x7f.0.0.1/", "loopback-address")]
    [InlineData("http://[0:0:0:0:0:ffff:7f00:1]/", "loopback-address")]
    public async Task CaptureAsync_NonCanonicalIpLiteral_IsRefusedBeforeAnyLookup(string url, string rule)
    {
        using var capturer = Capturers.Create(o => o.AllowedNetworks.Clear());

        var e = await Assert.ThrowsAsync<CaptureRefusedException>(() => capturer.CaptureAsync(url, render: false, default));

        Assert.Equal(rule, e.Rule);
        Assert.DoesNotContain("resolves to", e.Message); // read as a literal or refused by spelling: no name was looked up
        Assert.Equal(rule == "non-canonical-host", PageCapturer.CheckUrl(url, out var refusal) is null); // refused before any lookup
        Assert.Equal(rule == "non-canonical-host" ? e.Message : null, refusal?.Message);
    }

    [Fact]
    public async Task CaptureAsync_RedirectToTrailingDotLoopback_IsRefusedWithoutFollowingIt()
    {
        using var capturer = Capturers.Create();
        var url = _site.Url("/redirect-to?url=" + Uri.EscapeDataString($"http://127.0.0.1.:{_site.Http.Port}/page.html")).AbsoluteUri;

        using var result = await capturer.CaptureAsync(url, render: false, default);

        Assert.Equal(CaptureFailureReason.Refused, result.Failure?.Reason);
        Assert.Contains("refused: the host \"127.0.0.1.\" is the IP address 127.0.0.1", result.Failure!.Message);
        Assert.Single(CaptureAssert.Consistent(result), r => r.Type == "response");
    }

    [Theory]
    [InlineData("http://10.0.0.5/secret", "private-address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "cloud-metadata-address")]
    [InlineData("http://[::ffff:192.168.0.1]/", "private-address")]
    [InlineData("http://[fe80::1]/", "link-local-address")]
    [InlineData("gopher://127.0.0.1:70/", "scheme")]
    public async Task CaptureAsync_RedirectToGuardedUrl_FailsAsRefusedAfterRecordingTheRedirect(string target, string rule)
    {
        using var capturer = Capturers.Create();
        var url = _site.Url("/redirect-to?url=" + Uri.EscapeDataString(target)).AbsoluteUri;

        using var result = await capturer.CaptureAsync(url, render: false, default);

        Assert.Equal(CaptureFailureReason.Refused, result.Failure?.Reason);
        Assert.Equal(rule, result.Failure!.Rule);
        Assert.Contains("refused: ", result.Failure.Message);
        var records = CaptureAssert.Consistent(result);
        var response = Assert.Single(records, r => r.Type == "response");
        Assert.StartsWith("HTTP/1.1 302", CaptureAssert.Text(response));
        Assert.Equal(["capture.warc"], result.Artefacts.Select(a => a.Name));
    }

    [Fact]
    public async Task CaptureAsync_RedirectToAnotherPort_PinsEachHostOnce()
    {
        using var capturer = Capturers.Create();
        var url = _site.Url("/redirect-to?url=" + Uri.EscapeDataString(new Uri(_site.Https, "/page.html").AbsoluteUri)).AbsoluteUri;

        using var result = await capturer.CaptureAsync(url, render: false, default);

        Assert.True(result.IsComplete, result.Failure?.Message);
        var records = CaptureAssert.Consistent(result);
        Assert.Single(records, r => r.TargetUri == "dns:127.0.0.1");
        Assert.Equal(2, records.Count(r => r.Type == "response"));
        Assert.StartsWith("https://", result.FinalUrl);
    }

    [Fact]
    public async Task CaptureAsync_MoreThanTheConcurrentLimit_IsRefusedAsBusy()
    {
        using var capturer = Capturers.Create(o =>
        {
            o.MaxConcurrentCaptures = 1;
            o.Timeout = TimeSpan.FromSeconds(30);
        });
        using var cancel = new CancellationTokenSource();
        _site.ResetSlow();
        var first = capturer.CaptureAsync(_site.Url("/slow").AbsoluteUri, render: false, cancel.Token);
        await _site.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var e = await Assert.ThrowsAsync<CaptureBusyException>(() => capturer.CaptureAsync(_site.Url("/page.html").AbsoluteUri, render: false, default));

        Assert.Contains("Capture:MaxConcurrentCaptures", e.Message);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        using var after = await capturer.CaptureAsync(_site.Url("/page.html").AbsoluteUri, render: false, default);
        Assert.True(after.IsComplete);
    }

    [Fact]
    public async Task CaptureAsync_RenderWithoutBrowser_CompletesAndSaysRenderingWasSkipped()
    {
        using var capturer = Capturers.Create();

        using var result = await capturer.CaptureAsync(_site.Url("/page.html").AbsoluteUri, render: true, default);

        Assert.True(result.IsComplete);
        Assert.StartsWith("skipped: no browser", result.Rendering);
        Assert.DoesNotContain(result.Artefacts, a => a.Name == "screenshot.png");
        Assert.Contains("skipped: no browser", CaptureAssert.Text(CaptureAssert.Consistent(result).Single(r => r.Type == "metadata")));
    }

    [Fact]
    public async Task Dispose_Result_DeletesTheWorkingFolder()
    {
        using var capturer = Capturers.Create();
        var result = await capturer.CaptureAsync(_site.Url("/page.html").AbsoluteUri, render: false, default);
        Assert.True(Directory.Exists(result.Folder));

        result.Dispose();

        Assert.False(Directory.Exists(result.Folder));
    }
}
