namespace EvidenceChain.Core.Merkle;

/// <summary>Why a Merkle proof did not verify.</summary>
public enum ProofFailure
{
    /// <summary>The proof verified.</summary>
    None = 0,

    /// <summary>The index is not below the tree size, or the sizes are out of order or zero.</summary>
    IndexOutOfRange,

    /// <summary>The proof has more or fewer hashes than the sizes call for.</summary>
    WrongProofLength,

    /// <summary>The proof recomputes a different root than the one given.</summary>
    RootMismatch,

    /// <summary>For a consistency proof: the proof does not recompute the first (older) root.</summary>
    FirstRootMismatch,
}
