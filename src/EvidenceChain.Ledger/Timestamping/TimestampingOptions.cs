namespace EvidenceChain.Ledger.Timestamping;

/// <summary>
/// How checkpoints are timestamped (configuration section <c>Timestamping</c>). With no <see cref="Url"/>, the
/// node's built-in TSA stamps every published checkpoint; with one, the external TSA is asked for the latest
/// checkpoint every <see cref="Interval"/>.
/// </summary>
public sealed class TimestampingOptions
{
    /// <summary>An external RFC 3161 TSA (HTTP POST of application/timestamp-query); null for the built-in TSA.</summary>
    public Uri? Url { get; set; }

    /// <summary>A PEM file of the external TSA's CA certificates, for checking its tokens and for receipts.</summary>
    public string? TrustedCaFile { get; set; }

    /// <summary>The external TSA's cadence: how often the latest checkpoint is stamped when the log has grown.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per stamp of the external TSA (with back-off 1 s, 2 s, 4 s ...) before reporting it unhealthy.</summary>
    public int Attempts { get; set; } = 4;

    /// <summary>Time allowed for one request to the external TSA.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a call that asks to wait for a receipt may wait for its checkpoint's token.</summary>
    public TimeSpan MaxReceiptWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The accuracy the built-in TSA states in its tokens (how far the node's clock may be off).</summary>
    public TimeSpan Accuracy { get; set; } = TimeSpan.FromSeconds(1);
}
