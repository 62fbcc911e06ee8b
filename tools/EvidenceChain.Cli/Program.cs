using System.CommandLine;
using System.CommandLine.Invocation;
using EvidenceChain.Cli.Commands;

namespace EvidenceChain.Cli;

/// <summary>The <c>evidencectl</c> entry point.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var interrupted = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // Let a download delete its temporary file rather than die mid-write.
            e.Cancel = true;
            interrupted.Cancel();
        };
        return await RunAsync(args, new CliConsole(Console.Out, Console.Error, Console.In)
        {
            ErrorIsTerminal = !Console.IsErrorRedirected,
            Cancellation = interrupted.Token,
        });
    }

    /// <summary>Runs one command; never throws for bad input.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console)
    {
        if (args is [] or ["help"])
        {
            args = ["--help"];
        }

        var root = CommandTree.Build(console);

        // No response files: an argument such as "@notes.txt" is a file name to preserve, not more arguments.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Action is ParseErrorAction || (parsed.Action == parsed.CommandResult.Command.Action && ParseErrors.UnknownOptionTakenAsArgument(parsed) is not null))
        {
            await console.Error.WriteLineAsync($"evidencectl: {ParseErrors.Describe(parsed)}");
            return ExitCode.Usage;
        }

        return await parsed.InvokeAsync(
            new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null, // Main handles Ctrl+C
            },
            console.Cancellation);
    }
}
