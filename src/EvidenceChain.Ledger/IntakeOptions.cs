namespace EvidenceChain.Ledger;

/// <summary>Limits and choices for <see cref="FileIntake"/>. Bound from the node's <c>Limits</c> configuration section.</summary>
public sealed class IntakeOptions
{
    /// <summary>Largest file accepted, in bytes. Default 4 GiB.</summary>
    public long MaxFileSize { get; set; } = 4L << 30;

    /// <summary>Longest file name, in UTF-8 bytes. Default 255.</summary>
    public int MaxFileNameBytes { get; set; } = 255;

    /// <summary>Longest media type, in bytes. Default 255.</summary>
    public int MaxMediaTypeBytes { get; set; } = 255;

    /// <summary>Longest title, in UTF-8 bytes. Default 1,024.</summary>
    public int MaxTitleBytes { get; set; } = 1024;

    /// <summary>Longest description, in UTF-8 bytes. Default 16,384.</summary>
    public int MaxDescriptionBytes { get; set; } = 16 * 1024;

    /// <summary>Record SM3 digests beside SHA-256 (the national-crypto profile). Default false.</summary>
    public bool Sm3 { get; set; }
}
