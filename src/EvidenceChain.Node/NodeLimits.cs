namespace EvidenceChain.Node;

/// <summary>Transport limits, from the <c>Limits</c> configuration section (beside the intake limits).</summary>
public sealed class NodeLimits
{
    /// <summary>Largest chunk of a streamed upload, in bytes. Default 1 MiB.</summary>
    public int MaxChunkSize { get; set; } = 1 << 20;

    /// <summary>Uploads one API key may have in progress at once. Default 16.</summary>
    public int MaxConcurrentUploadsPerKey { get; set; } = 16;
}
