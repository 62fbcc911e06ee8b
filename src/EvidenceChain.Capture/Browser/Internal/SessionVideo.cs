using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace EvidenceChain.Capture.Browser.Internal;

/// <summary>
/// The session video of one render: the browser's screencast frames (JPEG, sent when the page changes) collected up to
/// a duration, then resampled to a constant rate and encoded as WebM (VP8) by ffmpeg into a temporary file, kept when
/// within the size limit.
/// </summary>
/// <remarks>Frames arrive on the DevTools receive loop (<see cref="OnFrame"/>); the rest runs after the render.</remarks>
internal sealed class SessionVideo(string ffmpeg, int maxSeconds, int maxBytes)
{
    /// <summary>The rate of the encoded video; a frame is repeated until the page changes.</summary>
    public const int FramesPerSecond = 10;

    // Frames held in memory at most: a screencast sends a frame per change, at most about 60 a second.
    private const int MaxFrameBytes = 64 << 20;
    private readonly List<(double Time, byte[] Jpeg)> _frames = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _bytes;
    private bool _full;

    /// <summary>The ffmpeg executable to use for <paramref name="options"/>, or null with the reason there is none.</summary>
    public static string? Resolve(CaptureOptions options, out string? skipped)
    {
        skipped = null;
        switch (options.FfmpegPath)
        {
            case null or "":
                const string Debian = "/usr/bin/ffmpeg";
                if (File.Exists(Debian))
                {
                    return Debian;
                }

                skipped = "video skipped: no ffmpeg at /usr/bin/ffmpeg (install Debian's ffmpeg, or set Capture:FfmpegPath)";
                return null;
            case "none":
                skipped = "video skipped: switched off (Capture:FfmpegPath is none)";
                return null;
            case var path when !File.Exists(path):
                skipped = $"video skipped: no ffmpeg at {path} (Capture:FfmpegPath)";
                return null;
            case var path:
                return path;
        }
    }

    /// <summary>Seconds since the recording started.</summary>
    public double Elapsed => _clock.Elapsed.TotalSeconds;

    /// <summary>Takes a <c>Page.screencastFrame</c> event and acknowledges it, so the browser sends the next one.</summary>
    public void OnFrame(CdpConnection cdp, JsonObject parameters, string session)
    {
        if (parameters["sessionId"] is JsonValue id)
        {
            _ = AcknowledgeAsync(cdp, id.GetValue<int>(), session);
        }

        var time = Elapsed;
        lock (_frames)
        {
            if (_full || parameters["data"]?.GetValue<string>() is not { } data)
            {
                return;
            }

            var jpeg = Convert.FromBase64String(data);
            if (time > maxSeconds || _bytes + jpeg.Length > MaxFrameBytes)
            {
                _full = true;
                return;
            }

            _bytes += jpeg.Length;
            _frames.Add((time, jpeg));
        }
    }

    /// <summary>Encodes the frames taken so far. Returns the WebM bytes, or null, and the note the record keeps.</summary>
    public async Task<(byte[]? Video, string Note)> EncodeAsync(CancellationToken ct)
    {
        List<(double Time, byte[] Jpeg)> frames;
        lock (_frames)
        {
            _full = true;
            frames = [.. _frames];
        }

        if (frames.Count == 0)
        {
            return (null, "video skipped: the browser sent no screencast frame");
        }

        var sequence = Resample(frames, Math.Min(Elapsed, maxSeconds));

        // ffmpeg writes a file, not a pipe, so the WebM gets its duration and cues (players seek in it); -fs stops it
        // one byte past the limit.
        var path = Path.Combine(Path.GetTempPath(), "evidencechain-video-" + Guid.NewGuid().ToString("N") + ".webm");
        var start = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in (string[])[
            "-hide_banner", "-loglevel", "error", "-f", "image2pipe", "-c:v", "mjpeg",
            "-framerate", FramesPerSecond.ToString(CultureInfo.InvariantCulture), "-i", "pipe:0", "-an",
            "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M", "-pix_fmt", "yuv420p",
            "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-fs", (maxBytes + 1L).ToString(CultureInfo.InvariantCulture),
            "-f", "webm", "-y", path])
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return (null, $"video skipped: {ffmpeg} could not be started: {e.Message}");
        }

        try
        {
            using (process)
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
                limit.CancelAfter(TimeSpan.FromSeconds(60));
                try
                {
                    var output = process.StandardOutput.ReadToEndAsync(limit.Token);
                    var errors = process.StandardError.ReadToEndAsync(limit.Token);
                    await FeedAsync(process, sequence, limit.Token);
                    await process.WaitForExitAsync(limit.Token);
                    await output;
                    var stderr = await errors;
                    var length = File.Exists(path) ? new FileInfo(path).Length : 0;
                    if (length > maxBytes)
                    {
                        return (null, string.Create(CultureInfo.InvariantCulture, $"video skipped: larger than {maxBytes} bytes (Capture:MaxVideoBytes)"));
                    }

                    if (process.ExitCode != 0 || length == 0)
                    {
                        var first = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
                        return (null, string.Create(CultureInfo.InvariantCulture, $"video skipped: ffmpeg failed (exit {process.ExitCode}): {first}"));
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    return (null, "video skipped: ffmpeg did not finish within 60 s");
                }
                finally
                {
                    Kill(process);
                }
            }

            var seconds = (double)sequence.Count / FramesPerSecond;
            return (await File.ReadAllBytesAsync(path, ct), string.Create(CultureInfo.InvariantCulture,
                $"video: {seconds:F1} s of the page loading, then scrolled from top to bottom; {frames.Count} screencast frames at {FramesPerSecond} frames/s, WebM (VP8) by {ffmpeg}"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    // One frame per 1/fps from the first frame's time to the end: the newest frame taken by then.
    private static List<byte[]> Resample(List<(double Time, byte[] Jpeg)> frames, double end)
    {
        var first = frames[0].Time;
        var count = Math.Max(1, (int)Math.Ceiling((end - first) * FramesPerSecond));
        var sequence = new List<byte[]>(count);
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            var time = first + ((double)i / FramesPerSecond);
            while (at + 1 < frames.Count && frames[at + 1].Time <= time)
            {
                at++;
            }

            sequence.Add(frames[at].Jpeg);
        }

        return sequence;
    }

    private static async Task FeedAsync(Process process, List<byte[]> sequence, CancellationToken ct)
    {
        var input = process.StandardInput.BaseStream;
        try
        {
            foreach (var jpeg in sequence)
            {
                await input.WriteAsync(jpeg, ct);
            }
        }
        catch (IOException)
        {
            // ffmpeg stopped reading: its exit code and message say why
        }
        finally
        {
            try
            {
                input.Close();
            }
            catch (IOException)
            {
                // as above
            }
        }
    }

    private static async Task AcknowledgeAsync(CdpConnection cdp, int id, string session)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await cdp.SendAsync("Page.screencastFrameAck", new JsonObject { ["sessionId"] = id }, session, timeout.Token);
        }
        catch (Exception e) when (e is RenderException or OperationCanceledException)
        {
            // the page or the browser is gone: no more frames are wanted
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
