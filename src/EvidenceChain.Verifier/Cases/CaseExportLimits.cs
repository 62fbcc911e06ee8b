namespace EvidenceChain.Verifier.Cases;

/// <summary>The limits that keep reading a hostile case export cheap. Plain options; every default is below.</summary>
public sealed class CaseExportLimits
{
    /// <summary>The most members a case export may hold. Default 8,192 (the item and event limits of a case, and room).</summary>
    public int MaxMembers { get; init; } = 8192;

    /// <summary>The largest receipt inside an export, in bytes (exports carry receipts without artefacts). Default 4 MiB.</summary>
    public long MaxReceiptBytes { get; init; } = 4L << 20;

    /// <summary>The largest manifest, VERIFY.txt or trust file, in bytes. Default 2 MiB.</summary>
    public long MaxTextBytes { get; init; } = 2L << 20;

    /// <summary>
    /// The most bytes all members may hold together, uncompressed, since they are read into memory. Default 256 MiB:
    /// a case at its limits (1,000 items, 4,000 events) exports receipts of a few kilobytes each.
    /// </summary>
    public long MaxTotalBytes { get; init; } = 256L << 20;

    /// <summary>
    /// The most receipts (item and event receipts together) an export may hold. Default 5,120: a case at its limits
    /// has 1,000 items and 4,000 events, and the export event.
    /// </summary>
    public int MaxReceipts { get; init; } = 5120;

    /// <summary>
    /// The most bytes verifying the export may inflate and hash in all: the export's members and everything read from
    /// the receipts inside it. Verification then stops with a failed "work limit" step. Default 1 GiB.
    /// </summary>
    public long MaxWorkBytes { get; init; } = 1L << 30;

    /// <summary>
    /// The longest verifying the export may take; it then stops with a failed "work limit" step. Default 2 minutes
    /// (an export at a case's limits verifies in seconds).
    /// </summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The default limits.</summary>
    public static CaseExportLimits Default { get; } = new();
}
