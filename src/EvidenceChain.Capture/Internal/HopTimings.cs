namespace EvidenceChain.Capture.Internal;

/// <summary>Durations of one hop, in milliseconds; null for a step not reached.</summary>
internal sealed class HopTimings
{
    public double? Dns { get; set; }

    public double? Connect { get; set; }

    public double? Tls { get; set; }

    public double? FirstByte { get; set; }

    public double? Total { get; set; }
}
