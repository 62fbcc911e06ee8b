using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Ledger;

/// <summary>The bytes of one tile or entry bundle to be written.</summary>
/// <param name="Id">Which file.</param>
/// <param name="Bytes">Its whole content.</param>
public readonly record struct TileData(TileId Id, ReadOnlyMemory<byte> Bytes);
