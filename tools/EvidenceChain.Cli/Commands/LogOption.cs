using EvidenceChain.Cli.Tiles;

namespace EvidenceChain.Cli.Commands;

/// <summary>
/// The <c>--log URL|DIR</c> of <c>proof</c>, <c>consistency</c> and <c>checkpoint</c>: read the log's tlog-tiles files
/// (a mirror folder, any static server of one, a node's HTTP port) instead of calling a node's API.
/// </summary>
internal static class LogOption
{
    /// <summary>The help text of the option.</summary>
    public const string Help = "read the log's checkpoint and tiles from URL or folder DIR (a mirror, any static server of one, a node's HTTP port) instead of the node's API";

    /// <summary>The source named by <c>--log</c>, or null when it is absent.</summary>
    /// <exception cref="UsageException">Both --log and --node, or neither a URL nor a folder.</exception>
    public static TileSource? Read(Arguments args)
    {
        if (args.Optional("log") is not { } location)
        {
            return null;
        }

        return args.Optional("node") is not null
            ? throw new UsageException("give --node (the node's API) or --log (its tiles), not both")
            : TileSource.Open(location, "--log");
    }

    /// <summary>Runs <paramref name="command"/> over the log; a file that cannot be read prints one line and exits 1.</summary>
    public static async Task<int> RunAsync(TileSource source, CliConsole console, Func<TiledLog, Task<int>> command)
    {
        using (source)
        {
            try
            {
                return await command(new TiledLog(source));
            }
            catch (TileSourceException e)
            {
                await console.Error.WriteLineAsync($"evidencectl: {e.Message}");
                return ExitCode.Failed;
            }
            catch (OperationCanceledException) when (console.Cancellation.IsCancellationRequested)
            {
                await console.Error.WriteLineAsync("evidencectl: cancelled");
                return ExitCode.Failed;
            }
        }
    }
}
