using EvidenceChain.Core;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Ledger.Internal;

/// <summary>
/// An immutable snapshot of the published tree: its checkpoint and the partial tiles (which only live here and
/// in their files) needed to read any node or leaf. Readers take one snapshot and use it throughout.
/// </summary>
internal sealed class TreeState
{
    public TreeState(ulong size, Hash root, string signedCheckpoint, Hash[][] partialTiles, byte[] partialBundle, Hash lastLeafHash)
    {
        Size = size;
        Root = root;
        SignedCheckpoint = signedCheckpoint;
        PartialTiles = partialTiles;
        PartialBundle = partialBundle;
        LastLeafHash = lastLeafHash;
    }

    public ulong Size { get; }

    public Hash Root { get; }

    public string SignedCheckpoint { get; }

    /// <summary>Per tile level, the hashes of the partial tile (possibly empty). Never mutated after construction.</summary>
    public Hash[][] PartialTiles { get; }

    /// <summary>The bytes of the partial entry bundle (possibly empty).</summary>
    public byte[] PartialBundle { get; }

    /// <summary>The leaf hash of entry Size - 1; the zero hash when the tree is empty.</summary>
    public Hash LastLeafHash { get; }

    public Hash[] PartialTile(int level) => level < PartialTiles.Length ? PartialTiles[level] : [];

    public bool IsFullTile(int level, ulong index) => index < TileMath.FullTiles(level, Size);
}
