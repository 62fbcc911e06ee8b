using System.Text.Json;
using EvidenceChain.Node.IntegrationTests.Jobs;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary>
/// evidencectl capture --from and evidencectl watch against a real node (loopback allowed, no browser) capturing a
/// local site.
/// </summary>
public sealed class CaptureJobCommandsTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _files = new();
    private JobSite _site = null!;
    private TestNode _node = null!;
    private string _submitter = string.Empty;

    public async Task InitializeAsync()
    {
        _site = await JobSite.StartAsync();
        _node = await TestNode.StartAsync(null, "--Capture:AllowedNetworks:0", "127.0.0.0/8", "--Capture:BrowserPath", "none", "--Capture:Timeout", "00:00:20");
        _submitter = await _node.CreateKeyAsync("submitter");
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _site.DisposeAsync();
    }

    public void Dispose() => _files.Dispose();

    private string[] Args(params string[] args) => [.. args, "--node", _node.Node.GrpcAddress.ToString(), "--api-key", _submitter];

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not within 60 s");
            await Task.Delay(50);
        }
    }

    private string UrlFile(params string[] lines)
    {
        var path = _files.Sub($"urls-{Guid.NewGuid():n}.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task CaptureFrom_ListWithAFailure_LinePerUrl_Summary_AttachedToTheCase_Exit1()
    {
        var manager = await _node.CreateKeyAsync("case-manager");
        var created = await Cli.RunAsync([.. Args("case", "create", "--title", "Pirate site", "--json")[..^2], "--api-key", manager]);
        Assert.True(created.ExitCode == 0, created.ToString());
        var caseId = JsonDocument.Parse(created.Out).RootElement.GetProperty("case").GetProperty("id").GetString()!;
        var file = UrlFile("# the pirate's pages", _site.Page(1), string.Empty, _site.Page(2), "http://127.0.0.1:1/closed", _site.Page(3));

        var result = await Cli.RunAsync(Args("capture", "--from", file, "--case", caseId));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches("^capture job j[0-9a-f]{16}: 4 URL\\(s\\), attached to case " + caseId, result.Error);
        var lines = result.OutLines;
        Assert.Equal(5, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"done    {_site.Page(1)}: entry ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("failed  http://127.0.0.1:1/closed: connect-failed: ", StringComparison.Ordinal) && l.EndsWith(')'));
        Assert.Matches("^capture job j[0-9a-f]{16}: 4 URL\\(s\\): 3 captured, 1 failed$", lines[^1]);
        var shown = await Cli.RunAsync([.. Args("case", "show", caseId, "--json")[..^2], "--api-key", manager]);
        Assert.Equal(4, JsonDocument.Parse(shown.Out).RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task CaptureFrom_AllCaptured_OnATerminal_BarThenSummary_Exit0()
    {
        var file = UrlFile(_site.Page(10), _site.Page(11));

        var result = await Cli.RunAsync(new CliOptions(ErrorIsTerminal: true), Args("capture", "--from", file));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\rcapturing [", result.Error);
        Assert.Contains("2/2, 0 failed", result.Error);
        Assert.Matches("^capture job j[0-9a-f]{16}: 2 URL\\(s\\): 2 captured, 0 failed$", Assert.Single(result.OutLines));
    }

    [Fact]
    public async Task CaptureFrom_BadUse_Exit2OneLine()
    {
        var missing = await Cli.RunAsync(Args("capture", "--from", _files.Sub("none.txt")));
        Assert.Equal(2, missing.ExitCode);
        Assert.StartsWith("evidencectl: --from ", Assert.Single(missing.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));

        var empty = await Cli.RunAsync(Args("capture", "--from", UrlFile("# nothing")));
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("no URL in it", empty.Error);

        var both = await Cli.RunAsync(Args("capture", _site.Page(1), "--from", UrlFile(_site.Page(1))));
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("not both", both.Error);

        var bad = await Cli.RunAsync(Args("capture", "--from", UrlFile(_site.Page(1), "ftp://example.org/")));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("urls[1] (\"ftp://example.org/\") has scheme \"ftp\"", bad.Error);
    }

    [Fact]
    public async Task Watch_AddListShowStop_SummaryEntry_BadInputExit2()
    {
        var none = await Cli.RunAsync(Args("watch", "list"));
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Equal("no watches", Assert.Single(none.OutLines));
        var noJobs = await Cli.RunAsync(Args("job", "list"));
        Assert.True(noJobs.ExitCode == 0, noJobs.ToString());
        Assert.Equal("no capture jobs", Assert.Single(noJobs.OutLines));

        var until = DateTimeOffset.UtcNow.AddHours(3).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var added = await Cli.RunAsync(Args("watch", "add", _site.Watched, "--every", "60", "--until", until, "--json"));
        Assert.True(added.ExitCode == 0, added.ToString());
        var id = JsonDocument.Parse(added.Out).RootElement.GetProperty("id").GetString()!;

        var list = await Cli.RunAsync(Args("watch", "list"));
        Assert.Matches($"^watch {id}: {_site.Watched} every 60 min from .* until .*; active, next capture ", Assert.Single(list.OutLines));

        CliResult shown;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            shown = await Cli.RunAsync(Args("watch", "show", id));
            Assert.True(shown.ExitCode == 0, shown.ToString());
        }
        while (!shown.Out.Contains(" first-seen entry ", StringComparison.Ordinal) && DateTime.UtcNow < deadline);
        Assert.Matches("^  slot 0 .* first-seen entry [0-9]+ HTTP 200$", shown.OutLines[1]);

        var stopped = await Cli.RunAsync(Args("watch", "stop", id));
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Matches($"^watch {id}: .*; ended .* \\(stopped by k.*\\), summary entry [0-9]+$", Assert.Single(stopped.OutLines));

        var again = await Cli.RunAsync(Args("watch", "stop", id));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("has ended already", again.Error);
        var every = await Cli.RunAsync(Args("watch", "add", _site.Watched, "--every", "0", "--until", until));
        Assert.Equal(2, every.ExitCode);
        Assert.Contains("--every 0", every.Error);
        var past = await Cli.RunAsync(Args("watch", "add", _site.Watched, "--every", "5", "--until", "2020-01-01T00:00:00Z"));
        Assert.Equal(2, past.ExitCode);
        Assert.Contains("is not after now", past.Error);
        var unknown = await Cli.RunAsync(Args("watch", "show", "w0000000000000000"));
        Assert.Equal(1, unknown.ExitCode);
    }

    [Fact]
    public async Task WatchExport_ThenVerifyWatch_TimelineLinePerSlot_Exit0_WrongKeyExit1_BadUseExit2()
    {
        var until = DateTimeOffset.UtcNow.AddHours(3).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var added = await Cli.RunAsync(Args("watch", "add", _site.Watched, "--every", "60", "--until", until, "--json"));
        Assert.True(added.ExitCode == 0, added.ToString());
        var id = JsonDocument.Parse(added.Out).RootElement.GetProperty("id").GetString()!;
        await EventuallyAsync(async () => (await Cli.RunAsync(Args("watch", "show", id))).Out.Contains(" first-seen entry ", StringComparison.Ordinal));

        var zip = Path.Combine(_files.Path, "watch.zip");
        var exported = await Cli.RunAsync(Args("watch", "export", id, "-o", zip));
        Assert.True(exported.ExitCode == 0, exported.ToString());
        Assert.Matches($"^wrote .*watch.zip: watch {id}, 1 capture receipt\\(s\\), [0-9]+ bytes; the watch is running, so summary entry [0-9]+ was made for this export$", exported.OutLines[0]);
        Assert.Equal($"check it offline: evidencectl verify-watch {zip} --log-key VKEY --tsa-ca TSA-CA.pem", exported.OutLines[1]);

        var keys = Path.Combine(_node.DataPath, "keys");
        var verified = await Cli.RunAsync("verify-watch", zip, "--log-key", Path.Combine(keys, "log.vkey"), "--tsa-ca", Path.Combine(keys, "tsa-ca.pem"));
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Contains("PASS timeline signature: signed by ", verified.Out, StringComparison.Ordinal);
        Assert.Contains(verified.OutLines, l => l.StartsWith("PASS summary: entry ", StringComparison.Ordinal));
        Assert.Contains(verified.OutLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^PASS slot 0 [0-9T:.Z-]+ first-seen entry [0-9]+ HTTP 200: entry [0-9]+; "));
        Assert.Matches($"^verified: watch {id}, 1 slot\\(s\\), 1 capture\\(s\\), every receipt timestamped and matching the signed timeline$", verified.OutLines[^1]);

        var otherKeys = _files.Sub("other-keys");
        Assert.Equal(0, (await Cli.RunAsync("keygen", "--name", "other.example/log", "--out", otherKeys)).ExitCode);
        var wrongKey = await Cli.RunAsync("verify-watch", zip, "--log-key", Path.Combine(otherKeys, "log.vkey"), "--tsa-ca", Path.Combine(keys, "tsa-ca.pem"));
        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains("FAIL timeline signature: ", wrongKey.Out, StringComparison.Ordinal);
        Assert.StartsWith("FAILED: ", wrongKey.OutLines[^1], StringComparison.Ordinal);

        var exists = await Cli.RunAsync(Args("watch", "export", id, "-o", zip));
        Assert.Equal(2, exists.ExitCode);
        var noOutput = await Cli.RunAsync(Args("watch", "export", id));
        Assert.Equal(2, noOutput.ExitCode);
        Assert.Contains("watch export needs -o FILE.zip", noOutput.Error, StringComparison.Ordinal);
        var noCa = await Cli.RunAsync("verify-watch", zip, "--log-key", Path.Combine(keys, "log.vkey"));
        Assert.Equal(2, noCa.ExitCode);
        Assert.Contains("--tsa-ca PEM is required", noCa.Error, StringComparison.Ordinal);
        var unknown = await Cli.RunAsync(Args("watch", "export", "w0000000000000000", "-o", Path.Combine(_files.Path, "none.zip")));
        Assert.Equal(1, unknown.ExitCode);
        Assert.False(File.Exists(Path.Combine(_files.Path, "none.zip")));
        Assert.Equal(0, (await Cli.RunAsync(Args("watch", "stop", id))).ExitCode);
    }

    [Fact]
    public async Task Job_ListShowCancel_PendingUrlsCancelled_BadInputExit2()
    {
        // 20 URLs waiting at the gate: the first few are under way (as many as the node captures at once), the rest pending.
        _site.GateFrom = 500;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/captures:batch")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { urls = Enumerable.Range(500, 20).Select(_site.Page) }), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", _submitter);
        using var response = await _node.Http.SendAsync(request);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await EventuallyAsync(() => Task.FromResult(_site.Waiting > 0));

        var cancelled = await Cli.RunAsync(Args("job", "cancel", id));

        Assert.True(cancelled.ExitCode == 0, cancelled.ToString());
        Assert.Matches($"^capture job {id}: running, 20 URL\\(s\\): 0 done, 0 failed, [0-9]+ cancelled, 0 pending, [0-9]+ running; created ", cancelled.OutLines[0]);
        Assert.Equal(21, cancelled.OutLines.Length);
        Assert.Contains(cancelled.OutLines, l => l.StartsWith($"  cancelled {_site.Page(519)}: cancelled: by k", StringComparison.Ordinal));
        Assert.Contains(cancelled.OutLines, l => l.StartsWith($"  running {_site.Page(500)}", StringComparison.Ordinal));

        _site.OpenGate();
        await EventuallyAsync(async () =>
        {
            var shown = await Cli.RunAsync(Args("job", "show", id, "--json"));
            return JsonDocument.Parse(shown.Out).RootElement.GetProperty("state").GetString() == "cancelled";
        });
        var list = await Cli.RunAsync(Args("job", "list"));
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches($"^capture job {id}: cancelled, 20 URL\\(s\\): [0-9]+ done, 0 failed, [0-9]+ cancelled, 0 pending, 0 running; created ", Assert.Single(list.OutLines));
        var json = await Cli.RunAsync(Args("job", "show", id, "--json"));
        Assert.Equal(20, JsonDocument.Parse(json.Out).RootElement.GetProperty("items").GetArrayLength());

        var again = await Cli.RunAsync(Args("job", "cancel", id));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("has no pending URL to cancel", again.Error);
        var unknown = await Cli.RunAsync(Args("job", "show", "j0000000000000000"));
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No capture job", unknown.Error);
        var noId = await Cli.RunAsync(Args("job", "cancel"));
        Assert.Equal(2, noId.ExitCode);
    }

    [Fact]
    public async Task WatchShow_GoneSlot_ShowsTheHttpStatusOnce()
    {
        _site.Serve(404, "no such film");
        var until = DateTimeOffset.UtcNow.AddHours(3).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var added = await Cli.RunAsync(Args("watch", "add", _site.Watched, "--every", "60", "--until", until, "--json"));
        Assert.True(added.ExitCode == 0, added.ToString());
        var id = JsonDocument.Parse(added.Out).RootElement.GetProperty("id").GetString()!;

        CliResult shown;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            shown = await Cli.RunAsync(Args("watch", "show", id));
            Assert.True(shown.ExitCode == 0, shown.ToString());
        }
        while (!shown.Out.Contains(" gone ", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Assert.Matches("^  slot 0 .* gone entry [0-9]+ HTTP 404$", shown.OutLines[1]);
        var json = await Cli.RunAsync(Args("watch", "show", id, "--json"));
        Assert.Contains("http-status: HTTP 404", json.Out, StringComparison.Ordinal); // the reason itself is unchanged
    }
}
