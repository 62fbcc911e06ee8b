namespace EvidenceChain.Cli.Client;

/// <summary>The node answered, but not as its API promises (for example a hash that is not 64 hex digits).</summary>
internal sealed class BadReplyException(string message) : Exception(message);
