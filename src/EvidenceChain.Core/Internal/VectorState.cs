using System.Runtime.CompilerServices;

namespace EvidenceChain.Core.Internal;

/// <summary>Eight vectors: the working hash value H0..H7 of every lane.</summary>
[InlineArray(8)]
internal struct VectorState<TVector>
    where TVector : struct
{
    private TVector _element0;
}
