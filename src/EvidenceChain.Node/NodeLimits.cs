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
}
