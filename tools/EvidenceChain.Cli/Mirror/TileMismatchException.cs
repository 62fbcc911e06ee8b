using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Cli.Mirror;

/// <summary>A tile or bundle the log served does not match its signed checkpoint; <see cref="Bytes"/> is what it served.</summary>
internal sealed class TileMismatchException(TileId tile, byte[] bytes, string message) : Exception(message)
{
    public TileId Tile { get; } = tile;

    public byte[] Bytes { get; } = bytes;
}
