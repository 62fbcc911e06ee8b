namespace EvidenceChain.Cli.Mirror;

/// <summary>A mirror run could not finish (the log unreachable, its checkpoint not signed by the pinned key, the folder unusable); the folder keeps its state.</summary>
internal sealed class MirrorFailedException(string message, Exception? inner = null) : Exception(message, inner);
