using System.Runtime.CompilerServices;

namespace EvidenceChain.Core.Internal;

/// <summary>Sixteen vectors: one message block (or the rolling message schedule) of every lane.</summary>
[InlineArray(16)]
internal struct VectorBlock<TVector>
    where TVector : struct
{
    private TVector _element0;
}
