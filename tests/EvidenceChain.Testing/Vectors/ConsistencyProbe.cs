namespace EvidenceChain.Testing.Vectors;

/// <summary>
/// A transparency-dev/merkle consistency probe (<c>testdata/consistency/**.json</c>). Hashes are raw bytes as
/// the file gives them (base64-decoded), so they may be null, empty or of any length.
/// </summary>
/// <param name="Size1">Size of the older tree.</param>
/// <param name="Size2">Size of the newer tree.</param>
/// <param name="Root1">Root of the older tree.</param>
/// <param name="Root2">Root of the newer tree.</param>
/// <param name="Proof">Proof hashes; may be null.</param>
/// <param name="Desc">What the probe changes, e.g. <c>swapped roots</c>.</param>
/// <param name="WantErr">True when a correct verifier must reject the probe.</param>
public sealed record ConsistencyProbe(
    ulong Size1,
    ulong Size2,
    byte[]? Root1,
    byte[]? Root2,
    IReadOnlyList<byte[]?>? Proof,
    string Desc,
    bool WantErr);
