using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Cli.Client;
using EvidenceChain.Cli.Mirror;
using EvidenceChain.Cli.Tiles;

namespace EvidenceChain.Cli.Commands;

/// <summary>
/// <c>mirror URL DIR --key VKEY [--concurrency N]</c>: copies a tlog-tiles log into DIR, verifying everything
/// (<see cref="LogMirror"/>); prints one line: mirrored, up to date, or REFUSED with the reason (exit 3).
/// </summary>
internal static class MirrorCommand
{
    private const int DefaultConcurrency = 8;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(Arguments args, CliConsole console)
    {
        var json = args.Flag("json");
        if (args.Positional.Count != 2)
        {
            throw new UsageException("mirror needs the log's URL (or folder) and the mirror's folder DIR");
        }

        var key = LogKeyOption.Read(args) ?? throw new UsageException("mirror needs --key: the log's verifier key, which every checkpoint must be signed with");
        var concurrency = args.Optional("concurrency") is { } text ? (int)Arguments.ParseUInt64("--concurrency", text) : DefaultConcurrency;
        if (concurrency is < 1 or > 64)
        {
            throw new UsageException("--concurrency must be 1 to 64");
        }

        using var upstream = TileSource.Open(args.Positional[0], "URL", concurrency);
        var folder = new MirrorFolder(args.Positional[1]);
        var mirror = new LogMirror(upstream, folder, key, concurrency);
        var clock = Stopwatch.StartNew();
        MirrorOutcome outcome;
        using (var progress = new CancellationTokenSource())
        {
            var reporter = ReportProgressAsync(mirror, console, progress.Token);
            try
            {
                outcome = await mirror.RunAsync(console.Cancellation);
            }
            catch (Exception e) when (e is MirrorFailedException or TileSourceException or IOException or UnauthorizedAccessException)
            {
                await console.Error.WriteLineAsync($"evidencectl: mirror: {e.Message}; {folder.Path} keeps its state");
                return ExitCode.Failed;
            }
            catch (OperationCanceledException) when (console.Cancellation.IsCancellationRequested)
            {
                await console.Error.WriteLineAsync($"evidencectl: cancelled; {folder.Path} keeps its checkpoint, and the next run resumes");
                return ExitCode.Failed;
            }
            finally
            {
                await progress.CancelAsync();
                await reporter;
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var served = outcome.Served;
        var held = outcome.PreviousRoot is { } r
            ? string.Create(CultureInfo.InvariantCulture, $"size {outcome.PreviousSize} (root {r})")
            : "no checkpoint";
        var line = outcome.Status switch
        {
            MirrorStatus.Mirrored => string.Create(CultureInfo.InvariantCulture,
                $"mirrored: {served.Origin} at size {served.Size}, root {served.Root}, from {held}; {served.Size - outcome.PreviousSize} new entries, {outcome.Fetched} files fetched, {outcome.Reused} already here; {seconds:0.0} s, {(served.Size - outcome.PreviousSize) / Math.Max(seconds, 0.001):0} entries/s"),
            MirrorStatus.UpToDate => string.Create(CultureInfo.InvariantCulture,
                $"up to date: {served.Origin} at size {served.Size}, root {served.Root}"),
            MirrorStatus.Behind => string.Create(CultureInfo.InvariantCulture,
                $"up to date: the log serves size {served.Size}, older than the mirror's {held} and consistent with it; the mirror keeps its checkpoint"),
            _ => $"REFUSED: {outcome.Reason}; {folder.Path} keeps {held}; evidence in {outcome.Evidence}",
        };
        if (json)
        {
            await JsonOutput.WriteAsync(console, new JsonObject
            {
                ["status"] = outcome.Status.ToString().ToLowerInvariant(),
                ["origin"] = served.Origin,
                ["size"] = served.Size,
                ["root"] = served.Root.ToString(),
                ["previousSize"] = outcome.PreviousSize,
                ["previousRoot"] = outcome.PreviousRoot?.ToString(),
                ["fetched"] = outcome.Fetched,
                ["reused"] = outcome.Reused,
                ["seconds"] = Math.Round(seconds, 3),
                ["reason"] = outcome.Reason,
                ["evidence"] = outcome.Evidence,
                ["message"] = line,
            });
        }
        else
        {
            await console.Out.WriteLineAsync(line);
        }

        return outcome.Status == MirrorStatus.Refused ? ExitCode.Refused : ExitCode.Verified;
    }

    /// <summary>Every <see cref="ProgressInterval"/>, how many new entries are verified (on a terminal, redrawn in place).</summary>
    private static async Task ReportProgressAsync(LogMirror mirror, CliConsole console, CancellationToken cancellationToken)
    {
        var shown = false;
        using var timer = new PeriodicTimer(ProgressInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var total = mirror.EntriesToDo;
                if (total == 0)
                {
                    continue;
                }

                var done = mirror.EntriesDone;
                var text = string.Create(CultureInfo.InvariantCulture, $"mirror: {done:N0} of {total:N0} new entries verified ({done * 100 / total}%)");
                await console.Error.WriteAsync(console.ErrorIsTerminal ? "\r" + text : text + "\n");
                shown = true;
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (shown && console.ErrorIsTerminal)
        {
            await console.Error.WriteLineAsync();
        }
    }
}
