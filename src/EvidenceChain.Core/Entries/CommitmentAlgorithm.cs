namespace EvidenceChain.Core.Entries;

/// <summary>The hash a <see cref="Commitment"/> is made with; its leaf member name says which (docs/formats.md §1.5).</summary>
public enum CommitmentAlgorithm
{
    /// <summary>SHA-256 (member <c>commit-sha256</c>); the default profile.</summary>
    Sha256,

    /// <summary>SM3, GB/T 32905 (member <c>commit-sm3</c>); the national crypto profile.</summary>
    Sm3,
}
