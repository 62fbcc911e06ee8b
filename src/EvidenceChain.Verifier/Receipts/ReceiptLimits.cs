namespace EvidenceChain.Verifier.Receipts;

/// <summary>The limits that keep reading a hostile receipt zip cheap. Plain options; every default is below.</summary>
public sealed class ReceiptLimits
{
    /// <summary>The most members (files and folders) a receipt may hold. Default 1,024.</summary>
    public int MaxMembers { get; init; } = 1024;

    /// <summary>
    /// The largest uncompressed size of each member other than artefacts (entry, proof, checkpoint, token, keys,
    /// chain, VERIFY.txt), in bytes. Default 2 MiB (a proof holds a signed note of up to 1 MiB).
    /// </summary>
    public long MaxMetadataBytes { get; init; } = 2 << 20;

    /// <summary>The largest uncompressed size of one artefact, in bytes. Default 64 GiB.</summary>
    public long MaxArtefactBytes { get; init; } = 64L << 30;

    /// <summary>
    /// The most bytes all members may declare together, uncompressed; also the most bytes verifying the receipt
    /// inflates and hashes from it. Default 128 GiB.
    /// </summary>
    public long MaxTotalBytes { get; init; } = 128L << 30;

    /// <summary>
    /// The longest reading and hashing the receipt's members may take, from opening it; verification then stops with a
    /// failed "work limit" step. Default 30 minutes (hashing 128 GiB with SHA-256 and SM3 takes about half that).
    /// </summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The default limits.</summary>
    public static ReceiptLimits Default { get; } = new();
}
