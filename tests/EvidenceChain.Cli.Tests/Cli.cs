namespace EvidenceChain.Cli.Tests;

/// <summary>What one in-process run of <c>evidencectl</c> returned and printed.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Standard output split into lines, without the trailing empty one.</summary>
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
}

/// <summary>Runs <see cref="Program.RunAsync"/> in-process with captured output and a given stdin.</summary>
internal static class Cli
{
    public static Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(string.Empty, args);

    public static Task<CliResult> RunWithInputAsync(string stdin, params string[] args) => RunAsync(new CliOptions(stdin), args);

    /// <summary>Runs with <paramref name="environment"/> as the only environment variables.</summary>
    public static Task<CliResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(new CliOptions(Environment: environment), args);

    /// <summary>
    /// Runs with stdin <see cref="CliOptions.Stdin"/>, no environment variables but <see cref="CliOptions.Environment"/>
    /// (so the machine's EVIDENCECHAIN_* variables cannot change a test), and stderr a terminal when asked.
    /// </summary>
    public static async Task<CliResult> RunAsync(CliOptions options, params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        using var input = new StringReader(options.Stdin);
        var console = new CliConsole(output, error, input)
        {
            Environment = name => options.Environment?.GetValueOrDefault(name),
            ErrorIsTerminal = options.ErrorIsTerminal,
        };
        var code = await Program.RunAsync(args, console);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Asserts exit 0 and that stdout is one line starting with "verified: ".</summary>
    public static void AssertVerified(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.OutLines);
        Assert.StartsWith("verified: ", line, StringComparison.Ordinal);
    }

    /// <summary>Asserts exit 1 and that stdout is exactly one line "FAILED: ..." holding <paramref name="reason"/>.</summary>
    public static void AssertFailed(CliResult result, string reason)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.OutLines);
        Assert.StartsWith("FAILED: ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
    }

    /// <summary>Asserts exit 2, nothing on stdout, and one line "evidencectl: ..." on stderr holding <paramref name="message"/>.</summary>
    public static void AssertUsage(CliResult result, string message)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(string.Empty, result.Out);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("evidencectl: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
    }

    /// <summary>Asserts exit <paramref name="exitCode"/>, nothing on stdout, and one stderr line "evidencectl: STATUS: ..." holding <paramref name="message"/>.</summary>
    public static void AssertNodeError(CliResult result, string status, string message, int exitCode = 1)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Equal(string.Empty, result.Out);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"evidencectl: {status}: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
    }
}
