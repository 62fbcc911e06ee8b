using EvidenceChain.Cli.Client;
using EvidenceChain.Core.Notes;
using EvidenceChain.Witness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>witness serve</c> and <c>witness key</c>: a stand-alone C2SP witness with its own key and state folder.</summary>
internal static class WitnessCommands
{
    public const string DefaultListen = "127.0.0.1:7380";

    /// <summary>Prints the witness's vkey, creating the key (with --name) if the folder has none.</summary>
    public static int Key(Arguments args, CliConsole console)
    {
        var signer = LoadOrCreate(args.Required("state"), args.Optional("name"));
        console.Out.WriteLine(signer.Key.ToString());
        return ExitCode.Verified;
    }

    /// <summary>Serves POST /add-checkpoint until interrupted (Ctrl+C or SIGTERM).</summary>
    public static async Task<int> ServeAsync(Arguments args, CliConsole console)
    {
        var state = args.Required("state");
        var name = args.Optional("name");
        var logs = ReadLogKeys(args.All("log"));
        _ = LoadOrCreate(state, name); // usage errors (a missing --name, a wrong name) before Kestrel starts
        WitnessHost host;
        try
        {
            host = await WitnessHost.StartAsync(
                args.Optional("listen") ?? DefaultListen,
                state,
                name,
                logs,
                b =>
                {
                    b.AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft", LogLevel.Warning);
                    b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                },
                console.Cancellation);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException)
        {
            throw new UsageException(e.Message);
        }

        await using (host)
        {
            await console.Out.WriteLineAsync(host.Key.ToString());
            await console.Out.FlushAsync();
            await console.Error.WriteLineAsync(
                $"evidencectl: witness listening on {host.Address} for {string.Join(", ", logs.Select(k => k.Name).Distinct())}; state in {Path.GetFullPath(state)}; stop with Ctrl+C");
            await console.Error.FlushAsync();
            try
            {
                await host.WaitForShutdownAsync(console.Cancellation);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop normally.
            }
        }

        return ExitCode.Verified;
    }

    private static WitnessSigner LoadOrCreate(string state, string? name)
    {
        try
        {
            return WitnessKeyFiles.LoadOrCreate(state, name);
        }
        catch (ArgumentException) when (name is null)
        {
            throw new UsageException($"{state} holds no witness key yet: give --name (for example court.example/witness) to create one");
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Each --log: a log's verifier key, or a file with one per line (blank lines and # comments skipped).</summary>
    private static List<NoteVerifier> ReadLogKeys(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            throw new UsageException("--log is required: the verifier key of a log to witness (its keys/log.vkey), repeatable");
        }

        var keys = new List<NoteVerifier>();
        foreach (var value in values)
        {
            var isFile = File.Exists(value);
            var lines = isFile ? File.ReadAllLines(value) : [KeyArgument.Read("--log", value)];
            foreach (var line in lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
            {
                keys.Add(NoteVerifier.TryParse(line, out var key, out var error)
                    ? key
                    : throw new UsageException(isFile
                        ? $"--log {value}: \"{line}\" is not a log verifier key: {error}"
                        : $"--log {value}: no such file, and not a log verifier key either ({error})"));
            }
        }

        return keys;
    }
}
