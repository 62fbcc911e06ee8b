using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EvidenceChain.Core.Internal;

/// <summary>
/// Multi-buffer SHA-256 (FIPS 180-4 §6.2): the compression function runs on <c>TLanes.Count</c> independent
/// messages at once, one message per vector lane, so that a tree level's nodes are hashed with plain vector
/// arithmetic instead of one SHA-NI call each. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// The entry points are compiled fully optimised straight away: unoptimised (tier-0) code for vector intrinsics
/// is several times slower, and a short-lived process such as the offline verifier would spend its run there.
/// </remarks>
internal static class MultiBufferSha256<TLanes, TVector>
    where TLanes : struct, ISha256Lanes<TVector>
    where TVector : struct
{
    /// <summary>The RFC 6962 node message 0x01 || left || right is 65 bytes: 520 bits.</summary>
    private const uint NodeBits = 520;

    private const int PairBytes = 2 * Hash.Size;

    /// <summary>
    /// <c>parents[i] = SHA-256(0x01 || pairs[64 i .. 64 i + 64))</c> for the <c>TLanes.Count</c> pairs at
    /// <paramref name="pairs"/>, written at <paramref name="parents"/> (32 bytes each). Every input is read
    /// before any output is written, so the outputs may overlap the inputs when they start at the same place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void HashNodes(ref byte pairs, ref byte parents)
    {
        Unsafe.SkipInit(out VectorBlock<TVector> w);
        TLanes.LoadBlocks(ref pairs, PairBytes, ref w[0]);

        // Block 1 is 0x01 and the first 63 pair bytes; the last byte opens block 2, followed by the padding.
        var last = ShiftIn(ref w, TLanes.Broadcast(0x01));

        Unsafe.SkipInit(out VectorState<TVector> state);
        var iv = Sha256Constants.InitialState;
        for (var i = 0; i < 8; i++)
        {
            state[i] = TLanes.Broadcast(iv[i]);
        }

        Compress(ref state, ref w);

        w[0] = TLanes.Or(TLanes.ShiftLeft(last, 24), TLanes.Broadcast(0x00800000));
        var zero = TLanes.Broadcast(0);
        for (var j = 1; j < 15; j++)
        {
            w[j] = zero;
        }

        w[15] = TLanes.Broadcast(NodeBits);
        Compress(ref state, ref w);
        TLanes.StoreDigests(ref state[0], ref parents);
    }

    /// <summary>
    /// <c>digests[i] = SHA-256(prefix || message i)</c> for <c>TLanes.Count</c> messages of <paramref name="length"/>
    /// bytes, message i at <paramref name="messages"/> + <paramref name="length"/> i. Whole 64-byte blocks of the
    /// messages are read in place; what follows them (the last <c>length % 64</c> message bytes and the padding)
    /// is read from <paramref name="tails"/>: one row of <paramref name="tailBytes"/> (64 or 128) per message, holding
    /// those bytes then 0x80, zeros and the 64-bit bit length, all one byte early (the prefix shifts the message
    /// one byte right, so the byte before each block comes from the block before).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void HashPrefixed(byte prefix, ref byte messages, int length, ref byte tails, int tailBytes, ref byte digests)
    {
        Unsafe.SkipInit(out VectorBlock<TVector> w);
        Unsafe.SkipInit(out VectorState<TVector> state);
        var iv = Sha256Constants.InitialState;
        for (var i = 0; i < 8; i++)
        {
            state[i] = TLanes.Broadcast(iv[i]);
        }

        var carry = TLanes.Broadcast(prefix);
        for (var offset = 0; offset + 64 <= length; offset += 64)
        {
            TLanes.LoadBlocks(ref Unsafe.Add(ref messages, offset), length, ref w[0]);
            carry = ShiftIn(ref w, carry);
            Compress(ref state, ref w);
        }

        for (var offset = 0; offset < tailBytes; offset += 64)
        {
            TLanes.LoadBlocks(ref Unsafe.Add(ref tails, offset), tailBytes, ref w[0]);
            carry = ShiftIn(ref w, carry);
            Compress(ref state, ref w);
        }

        TLanes.StoreDigests(ref state[0], ref digests);
    }

    /// <summary>
    /// Turns sixteen words read at message offset 64 k into block k of the message behind a one-byte prefix: every
    /// word moves one byte later, the low byte of <paramref name="carry"/> (the byte before) comes first, and the
    /// last word is returned as the next block's carry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector ShiftIn(ref VectorBlock<TVector> w, TVector carry)
    {
        var last = w[15];
        for (var j = 15; j > 0; j--)
        {
            w[j] = TLanes.Or(TLanes.ShiftLeft(w[j - 1], 24), TLanes.ShiftRight(w[j], 8));
        }

        w[0] = TLanes.Or(TLanes.ShiftLeft(carry, 24), TLanes.ShiftRight(w[0], 8));
        return last;
    }

    /// <summary>One application of the compression function to every lane; <paramref name="w"/> is consumed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compress(ref VectorState<TVector> state, ref VectorBlock<TVector> w)
    {
        var a = state[0];
        var b = state[1];
        var c = state[2];
        var d = state[3];
        var e = state[4];
        var f = state[5];
        var g = state[6];
        var h = state[7];
        ref var k = ref MemoryMarshal.GetReference(Sha256Constants.RoundConstants);
        for (var t = 0; t < 64; t += 16)
        {
            if (t > 0)
            {
                // The schedule lives in a 16-word window: W[t] replaces W[t - 16], in order.
                for (var i = 0; i < 16; i++)
                {
                    w[i] = TLanes.Add(
                        TLanes.Add(TLanes.SmallSigma1(w[(i + 14) & 15]), w[(i + 9) & 15]),
                        TLanes.Add(TLanes.SmallSigma0(w[(i + 1) & 15]), w[i]));
                }
            }

            ref var kt = ref Unsafe.Add(ref k, t);
            Round(a, b, c, ref d, e, f, g, ref h, w[0], Unsafe.Add(ref kt, 0));
            Round(h, a, b, ref c, d, e, f, ref g, w[1], Unsafe.Add(ref kt, 1));
            Round(g, h, a, ref b, c, d, e, ref f, w[2], Unsafe.Add(ref kt, 2));
            Round(f, g, h, ref a, b, c, d, ref e, w[3], Unsafe.Add(ref kt, 3));
            Round(e, f, g, ref h, a, b, c, ref d, w[4], Unsafe.Add(ref kt, 4));
            Round(d, e, f, ref g, h, a, b, ref c, w[5], Unsafe.Add(ref kt, 5));
            Round(c, d, e, ref f, g, h, a, ref b, w[6], Unsafe.Add(ref kt, 6));
            Round(b, c, d, ref e, f, g, h, ref a, w[7], Unsafe.Add(ref kt, 7));
            Round(a, b, c, ref d, e, f, g, ref h, w[8], Unsafe.Add(ref kt, 8));
            Round(h, a, b, ref c, d, e, f, ref g, w[9], Unsafe.Add(ref kt, 9));
            Round(g, h, a, ref b, c, d, e, ref f, w[10], Unsafe.Add(ref kt, 10));
            Round(f, g, h, ref a, b, c, d, ref e, w[11], Unsafe.Add(ref kt, 11));
            Round(e, f, g, ref h, a, b, c, ref d, w[12], Unsafe.Add(ref kt, 12));
            Round(d, e, f, ref g, h, a, b, ref c, w[13], Unsafe.Add(ref kt, 13));
            Round(c, d, e, ref f, g, h, a, ref b, w[14], Unsafe.Add(ref kt, 14));
            Round(b, c, d, ref e, f, g, h, ref a, w[15], Unsafe.Add(ref kt, 15));
        }

        state[0] = TLanes.Add(state[0], a);
        state[1] = TLanes.Add(state[1], b);
        state[2] = TLanes.Add(state[2], c);
        state[3] = TLanes.Add(state[3], d);
        state[4] = TLanes.Add(state[4], e);
        state[5] = TLanes.Add(state[5], f);
        state[6] = TLanes.Add(state[6], g);
        state[7] = TLanes.Add(state[7], h);
    }

    /// <summary>
    /// One round; the caller rotates the roles of the eight working variables instead of moving them, so only
    /// d and h change.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(
        TVector a, TVector b, TVector c, ref TVector d, TVector e, TVector f, TVector g, ref TVector h, TVector w, uint k)
    {
        // h + K + W does not wait for e, so it is summed first.
        var t1 = TLanes.Add(
            TLanes.Add(h, TLanes.Add(w, TLanes.Broadcast(k))),
            TLanes.Add(TLanes.BigSigma1(e), TLanes.Choose(e, f, g)));
        d = TLanes.Add(d, t1);
        h = TLanes.Add(t1, TLanes.Add(TLanes.BigSigma0(a), TLanes.Majority(a, b, c)));
    }
}
