namespace EvidenceChain.Verifier.Receipts;

/// <summary>
/// The untrusted evidence that <see cref="ReceiptVerifier"/> checks: the parts of a receipt (read from a zip by
/// <see cref="ReceiptArchive.OpenAsync"/>, or given separately as a bare <c>.tlog-proof</c> and its entry).
/// </summary>
/// <remarks>Immutable.</remarks>
public sealed record ReceiptEvidence
{
    /// <summary>The leaf bytes exactly as stored (<c>entry.json</c>).</summary>
    public required ReadOnlyMemory<byte> Entry { get; init; }

    /// <summary>The C2SP tlog-proof@v1 bytes (<c>proof.tlog-proof</c>).</summary>
    public required ReadOnlyMemory<byte> Proof { get; init; }

    /// <summary>
    /// The receipt's <c>checkpoint.txt</c>, which must equal the proof's checkpoint note text; null when there is
    /// none (a bare proof), and then that step is not reported.
    /// </summary>
    public ReadOnlyMemory<byte>? CheckpointText { get; init; }

    /// <summary>
    /// The DER RFC 3161 TimeStampResp over the checkpoint's note text; null when not given (step skipped). Empty bytes
    /// are a response that was given and is malformed (step failed), so that blanking a receipt's token cannot turn a
    /// failure into a skip. Beware: a null <c>byte[]</c> converts to empty, not to null.
    /// </summary>
    public ReadOnlyMemory<byte>? TimestampResponse { get; init; }

    /// <summary>
    /// Certificates that may help to chain the TSA's certificate (the receipt's <c>trust/tsa-chain.pem</c>). They are
    /// never trusted: the chain must end at a CA the verifier pinned. Null or empty when none.
    /// </summary>
    public string? UntrustedTsaChainPem { get; init; }

    /// <summary>
    /// The receipt's <c>disclosed.json</c>: openings of the entry's committed fields, each checked against the leaf's
    /// commitment (step <c>disclosed</c>); null when there is none (the step is skipped).
    /// </summary>
    public ReadOnlyMemory<byte>? Disclosed { get; init; }

    /// <summary>Artefacts to check against the entry's manifest (by name, size and digests); none by default.</summary>
    public IReadOnlyList<ReceiptArtefact> Artefacts { get; init; } = [];
}
