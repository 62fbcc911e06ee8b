using System.Diagnostics;
using System.Text;

namespace EvidenceChain.Capture.Browser.Internal;

/// <summary>
/// One running headless Chromium of the renderer's pool: its process, its profile folder, the sink its default context
/// talks to, and the DevTools connection. It renders one page at a time, each in a browser context of its own.
/// </summary>
internal sealed class BrowserProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly Action<Process> _stop;

    private BrowserProcess(Process process, DirectoryInfo profile, SinkProxy sink, CdpConnection cdp, string product, Action<Process> stop)
    {
        _process = process;
        _profile = profile;
        Sink = sink;
        Cdp = cdp;
        Product = product;
        _stop = stop;
    }

    /// <summary>Where the browser's own requests (those of its default context) go.</summary>
    public SinkProxy Sink { get; }

    public CdpConnection Cdp { get; }

    /// <summary>The browser's product and version, e.g. <c>HeadlessChrome/131.0.6778.139</c>.</summary>
    public string Product { get; }

    public int ProcessId => _process.Id;

    /// <summary>The pages rendered in this process so far.</summary>
    public int Renders { get; set; }

    /// <summary>False once the process has exited or the DevTools connection ended.</summary>
    public bool IsAlive => !Cdp.HasEnded && !HasExited();

    /// <summary>
    /// Starts a browser with <paramref name="start"/> (given the sink's port and a fresh profile folder) and connects to
    /// it. Whatever fails is cleaned up before the exception leaves.
    /// </summary>
    public static async Task<BrowserProcess> StartAsync(
        Func<int, string, Process> start, Action<Process> stop, int maxMessageBytes, CancellationToken ct)
    {
        var profile = Directory.CreateTempSubdirectory("evidencechain-chromium-");
        var sink = new SinkProxy();
        Process? process = null;
        CdpConnection? cdp = null;
        try
        {
            sink.Start();
            process = start(sink.Port, profile.FullName);
            var endpoint = await DevToolsEndpointAsync(process, ct);
            cdp = new CdpConnection(maxMessageBytes);
            await cdp.ConnectAsync(endpoint, ct);
            var version = await cdp.SendAsync("Browser.getVersion", null, null, ct);
            var product = version["product"]?.GetValue<string>() ?? "unknown";
            return new BrowserProcess(process, profile, sink, cdp, product, stop);
        }
        catch
        {
            if (cdp is not null)
            {
                await cdp.DisposeAsync();
            }

            if (process is not null)
            {
                stop(process);
                process.Dispose();
            }

            await sink.DisposeAsync();
            DeleteProfile(profile);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cdp.DisposeAsync();
        _stop(_process);
        _process.Dispose();
        await Sink.DisposeAsync();
        DeleteProfile(_profile);
    }

    private bool HasExited()
    {
        try
        {
            return _process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static void DeleteProfile(DirectoryInfo profile)
    {
        try
        {
            profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a file still held by a dying child process; the temp folder is cleaned eventually
        }
        catch (UnauthorizedAccessException)
        {
            // as above
        }
    }

    private static async Task<Uri> DevToolsEndpointAsync(Process process, CancellationToken ct)
    {
        _ = DrainAsync(process.StandardOutput);
        var seen = new StringBuilder();
        while (await process.StandardError.ReadLineAsync(ct) is { } line)
        {
            const string Marker = "DevTools listening on ";
            var at = line.IndexOf(Marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                _ = DrainAsync(process.StandardError);
                return new Uri(line[(at + Marker.Length)..].Trim());
            }

            if (seen.Length < 2000)
            {
                seen.Append(line).Append('\n');
            }
        }

        throw new RenderException($"the browser exited before opening its DevTools endpoint: {seen.ToString().Trim()}");
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync() is not null)
            {
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // the process is gone
        }
    }
}
