namespace EvidenceChain.Node.Certificates;

/// <summary>
/// Everything an evidence certificate states, read from the node once (<see cref="CertificateFactsReader"/>) and then
/// only laid out. Immutable.
/// </summary>
internal sealed record CertificateFacts
{
    /// <summary>The certificate number, <see cref="CertificateNumber.Of"/>.</summary>
    public required string Number { get; init; }

    public required string Origin { get; init; }

    public required ulong Index { get; init; }

    public required string Kind { get; init; }

    public required string LeafHash { get; init; }

    /// <summary>The node's time of receipt from the leaf, RFC 3339 UTC.</summary>
    public required string NodeTime { get; init; }

    /// <summary>When this certificate was issued (node clock), RFC 3339 UTC.</summary>
    public required string IssuedAt { get; init; }

    public required long CheckpointSize { get; init; }

    public required string CheckpointRoot { get; init; }

    /// <summary>The log's verifier key string and its SHA-256 (hex).</summary>
    public required string LogKey { get; init; }

    public required string LogKeyFingerprint { get; init; }

    public required string TsaName { get; init; }

    public required string TsaGenTime { get; init; }

    public required string TsaSerial { get; init; }

    public required string Submitter { get; init; }

    public required string Operator { get; init; }

    public required string VerifyUrl { get; init; }

    /// <summary>The embedded receipt's file name, e.g. <c>entry-7.evidence.zip</c>.</summary>
    public required string ReceiptName { get; init; }

    /// <summary>Whether the caller's key unlocked what only the artefacts show (screenshot, TLS, environment).</summary>
    public required bool WithArtefacts { get; init; }

    /// <summary>Label and value pairs of what was preserved, in display order (labels bilingual).</summary>
    public required IReadOnlyList<(string Label, string Value)> What { get; init; }

    /// <summary>The scaled first screen of the screenshot as a BMP; null when none or not unlocked.</summary>
    public byte[]? Screenshot { get; init; }

    /// <summary>Why there is no screenshot, when the entry is a web page; empty otherwise.</summary>
    public string ScreenshotNote { get; init; } = string.Empty;
}
