using EvidenceChain.Core;

namespace EvidenceChain.Storage.Internal;

/// <summary>A blob in a pack, for audits.</summary>
internal sealed class PackedBlob(Hash sha256, PackLocation location, BlobPacks packs)
{
    /// <summary>The SHA-256 its record names.</summary>
    public Hash Sha256 { get; } = sha256;

    /// <summary>Where its content is.</summary>
    public PackLocation Location { get; } = location;

    /// <summary>Reads its content.</summary>
    public byte[] Read() => packs.Read(Location);
}
