namespace EvidenceChain.Cli;

/// <summary>Where a command writes: results to <see cref="Out"/>, diagnostics to <see cref="Error"/>; stdin for input.</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In)
{
    /// <summary>Reads an environment variable (null when unset); tests give their own.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>True when <see cref="Error"/> is a terminal, where a progress bar may redraw its line.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Cancelled when the user interrupts the command (Ctrl+C).</summary>
    public CancellationToken Cancellation { get; init; }
}
