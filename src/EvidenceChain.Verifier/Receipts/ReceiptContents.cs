using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Verifier.Receipts;

/// <summary>
/// What goes into a receipt (<c>.evidence.zip</c>): one entry, its inclusion proof, the signed checkpoint, the RFC 3161
/// response over the checkpoint's note text, copies of the trust anchors, and optionally the artefacts. Filled by
/// the node (GetReceipt) or the CLI and written by <see cref="ReceiptArchive.WriteAsync"/>.
/// </summary>
/// <remarks>Immutable once built; not validated until written.</remarks>
public sealed record ReceiptContents
{
    /// <summary>The leaf bytes exactly as stored (<c>entry.json</c>).</summary>
    public required ReadOnlyMemory<byte> Leaf { get; init; }

    /// <summary>The entry's index in the log.</summary>
    public required ulong Index { get; init; }

    /// <summary>The inclusion path of <see cref="Index"/> in the signed checkpoint's tree, leaf sibling first.</summary>
    public required IReadOnlyList<Hash> ProofHashes { get; init; }

    /// <summary>
    /// The signed checkpoint note, verbatim (with the Ed25519 line, and the SM2 line under the national profile).
    /// The timestamp must be over its note text (the lines before the blank line).
    /// </summary>
    public required string SignedCheckpoint { get; init; }

    /// <summary>The DER RFC 3161 TimeStampResp over the checkpoint's note text (<c>checkpoint.tsr</c>).</summary>
    public required ReadOnlyMemory<byte> TimestampResponse { get; init; }

    /// <summary>The log's verifier key <c>name+hex8+base64</c> (<c>trust/log.vkey</c>, a copy for convenience).</summary>
    public required string LogVerifierKey { get; init; }

    /// <summary>The TSA certificate then its CA certificate(s), PEM (<c>trust/tsa-chain.pem</c>, a copy for convenience).</summary>
    public required string TsaChainPem { get; init; }

    /// <summary>The log's SM2 verifier key under the national profile (<c>trust/log-sm2.vkey</c>); null when off.</summary>
    public string? Sm2VerifierKey { get; init; }

    /// <summary>
    /// The canonical openings of the entry's committed fields (<c>disclosed.json</c>, docs/formats.md §1.5), only for a
    /// reader allowed to see them; null (the default) leaves the member out.
    /// </summary>
    public ReadOnlyMemory<byte>? Disclosed { get; init; }

    /// <summary>
    /// Artefacts to include under <c>artefacts/</c>, each listed in the leaf's manifest under the same name; none by
    /// default. A name must be usable as one file name: no <c>/</c>, <c>\</c> or control characters, not <c>.</c>
    /// or <c>..</c>, at most 255 UTF-8 bytes.
    /// </summary>
    public IReadOnlyList<ReceiptArtefact> Artefacts { get; init; } = [];

    /// <summary>The receipt's file name, used in the commands of <c>VERIFY.txt</c>; default <c>receipt.evidence.zip</c>.</summary>
    public string FileName { get; init; } = "receipt.evidence.zip";

    internal Hash LeafHash => Rfc6962.HashLeaf(Leaf.Span);
}
