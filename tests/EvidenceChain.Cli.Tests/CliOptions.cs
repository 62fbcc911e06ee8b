namespace EvidenceChain.Cli.Tests;

/// <summary>How to run the CLI: stdin, the environment variables it sees, whether stderr is a terminal.</summary>
internal sealed record CliOptions(string Stdin = "", IReadOnlyDictionary<string, string>? Environment = null, bool ErrorIsTerminal = false);
