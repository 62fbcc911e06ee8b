namespace EvidenceChain.Cli;

/// <summary>Where a command writes: results to <see cref="Out"/>, diagnostics to <see cref="Error"/>; stdin for input.</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In);
