namespace EvidenceChain.Cli;

/// <summary>Bad usage or malformed input: the CLI prints the message and exits with code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
