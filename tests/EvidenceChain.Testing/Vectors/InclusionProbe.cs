namespace EvidenceChain.Testing.Vectors;

/// <summary>
/// A transparency-dev/merkle inclusion probe (<c>testdata/inclusion/**.json</c>). Hashes are raw bytes as the
/// file gives them (base64-decoded), so they may be null, empty or of any length; mapping them onto
/// <see cref="EvidenceChain.Core.Hash"/> is the test's job.
/// </summary>
/// <param name="LeafIdx">Claimed leaf index.</param>
/// <param name="TreeSize">Claimed tree size.</param>
/// <param name="Root">Claimed root.</param>
/// <param name="LeafHash">Claimed leaf hash.</param>
/// <param name="Proof">Proof hashes, leaf upwards; may be null.</param>
/// <param name="Desc">What the probe changes, e.g. <c>leafIdx - 1</c>.</param>
/// <param name="WantErr">True when a correct verifier must reject the probe.</param>
public sealed record InclusionProbe(
    ulong LeafIdx,
    ulong TreeSize,
    byte[]? Root,
    byte[]? LeafHash,
    IReadOnlyList<byte[]?>? Proof,
    string Desc,
    bool WantErr);
