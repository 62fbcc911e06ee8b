namespace EvidenceChain.Cli.Tiles;

/// <summary>A log's file could not be read: the network, the server's answer or the file system; the message says which.</summary>
internal sealed class TileSourceException(string message, Exception? inner = null) : Exception(message, inner);
