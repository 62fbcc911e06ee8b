namespace EvidenceChain.Core.Internal;

/// <summary>
/// The vector operations that <see cref="MultiBufferSha256{TLanes, TVector}"/> needs, for one vector width: each
/// <typeparamref name="TVector"/> holds the same 32-bit word of <see cref="Count"/> independent messages (lanes).
/// Implemented by empty structs so that the JIT specialises and inlines every call.
/// </summary>
internal interface ISha256Lanes<TVector>
    where TVector : struct
{
    /// <summary>The number of messages hashed side by side.</summary>
    static abstract int Count { get; }

    /// <summary>Whether the instructions this width needs exist on this CPU.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>A short name for benchmarks and diagnostics.</summary>
    static abstract string Name { get; }

    static abstract TVector Broadcast(uint value);

    static abstract TVector Add(TVector left, TVector right);

    static abstract TVector Or(TVector left, TVector right);

    static abstract TVector ShiftLeft(TVector value, byte count);

    static abstract TVector ShiftRight(TVector value, byte count);

    /// <summary>FIPS 180-4 Σ0: ROTR2 ^ ROTR13 ^ ROTR22.</summary>
    static abstract TVector BigSigma0(TVector x);

    /// <summary>FIPS 180-4 Σ1: ROTR6 ^ ROTR11 ^ ROTR25.</summary>
    static abstract TVector BigSigma1(TVector x);

    /// <summary>FIPS 180-4 σ0: ROTR7 ^ ROTR18 ^ SHR3.</summary>
    static abstract TVector SmallSigma0(TVector x);

    /// <summary>FIPS 180-4 σ1: ROTR17 ^ ROTR19 ^ SHR10.</summary>
    static abstract TVector SmallSigma1(TVector x);

    /// <summary>Ch(e, f, g): f where e is set, g elsewhere.</summary>
    static abstract TVector Choose(TVector e, TVector f, TVector g);

    /// <summary>Maj(a, b, c): the bitwise majority.</summary>
    static abstract TVector Majority(TVector a, TVector b, TVector c);

    /// <summary>
    /// Reads <see cref="Count"/> rows of 64 bytes (row i at <paramref name="source"/> + <paramref name="stride"/> i)
    /// as sixteen big-endian words each, and writes word j of every row into <c>words[j]</c> (sixteen vectors from
    /// <paramref name="words"/>).
    /// </summary>
    static abstract void LoadBlocks(ref byte source, nint stride, ref TVector words);

    /// <summary>
    /// Writes the eight state words of every lane as a big-endian 32-byte digest, lane i at
    /// <paramref name="destination"/> + 32 i; <paramref name="state"/> is the first of eight vectors.
    /// </summary>
    static abstract void StoreDigests(ref TVector state, ref byte destination);
}
