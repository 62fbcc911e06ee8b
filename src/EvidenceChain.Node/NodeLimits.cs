namespace EvidenceChain.Node;

/// <summary>Transport limits, from the <c>Limits</c> configuration section (beside the intake limits).</summary>
internal sealed class NodeLimits
{
    /// <summary>Largest chunk of a streamed upload, in bytes. Default 1 MiB.</summary>
    public int MaxChunkSize { get; set; } = 1 << 20;

    /// <summary>Uploads one API key may have in progress at once. Default 16.</summary>
    public int MaxConcurrentUploadsPerKey { get; set; } = 16;

    /// <summary>
    /// Requests per second one client address may make of the public TSA (<c>POST /tsa</c>), with bursts of as many.
    /// Default 100; above it the answer is 429 with Retry-After.
    /// </summary>
    public int TsaRequestsPerSecondPerClient { get; set; } = 100;

    /// <summary>
    /// Receipt requests that may wait for their checkpoint's token at once (public <c>wait</c>); more are refused
    /// with RESOURCE_EXHAUSTED. Default 1,024.
    /// </summary>
    public int MaxWaitingReceiptRequests { get; set; } = 1024;

    /// <summary>
    /// Evidence certificates made at once (each lays out, signs and timestamps a PDF: tens of milliseconds of CPU);
    /// one more is refused with RESOURCE_EXHAUSTED. Default 4.
    /// </summary>
    public int MaxConcurrentCertificates { get; set; } = 4;

    /// <summary>
    /// How long an upload (gRPC PreserveFile, <c>POST /v1/files</c>) may go without receiving any data before the
    /// node ends it (DEADLINE_EXCEEDED, HTTP 408), keeping nothing. Default 30 s; zero turns the check off.
    /// </summary>
    public TimeSpan UploadIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The slowest average an upload may arrive at once <see cref="UploadRateGracePeriod"/> has passed, in bytes per
    /// second; a slower upload is ended (DEADLINE_EXCEEDED, HTTP 408), keeping nothing. Default 240 (Kestrel's own
    /// minimum body rate); zero turns the check off.
    /// </summary>
    public long MinUploadBytesPerSecond { get; set; } = 240;

    /// <summary>How long an upload may start slowly before <see cref="MinUploadBytesPerSecond"/> applies. Default 10 s.</summary>
    public TimeSpan UploadRateGracePeriod { get; set; } = TimeSpan.FromSeconds(10);
}
