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

    // The constant words of a node's second block's schedule (CompressNodeTail), from 520 with FIPS 180-4's σ0 and σ1;
    // a wrong one would change every node hash, which the kernels' known-answer and property tests compare.
    private const uint Sigma1Of520 = 0x01450000; // W[17]
    private const uint Sigma1Of17 = 0x200051ca; // W[19] = σ1(W[17])
    private const uint Sigma1Of19 = 0x22d45414; // W[21] = σ1(W[19])
    private const uint Sigma1Of21 = 0xa0802025; // W[23] - W[16] = σ1(W[21])
    private const uint Sigma0Of520 = 0x10820045; // in W[30]

    /// <summary>The widest lane count (AVX-512: sixteen 32-bit words).</summary>
    private const int MaxLanes = 16;

    /// <summary>A lane's row in <see cref="HashChains"/>: a sibling, then its side.</summary>
    private const int RowBytes = 64;

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
        Unsafe.SkipInit(out VectorState<TVector> state);
        HashNode(ref w, ref state);
        TLanes.StoreDigests(ref state[0], ref parents);
    }

    /// <summary>
    /// Folds <paramref name="chains"/> as <see cref="ISha256Kernel.HashChains"/> does, <c>TLanes.Count</c> chains side by
    /// side: each lane takes the next chain as soon as its own ends, and the running nodes stay in the vector state
    /// from step to step (only the siblings are loaded, and the lanes are written out when a chain ends). Chains of
    /// length zero end where they start. Lanes left without a chain near the end hash whatever they last held. The caller has checked that every chain's
    /// siblings lie within <paramref name="siblings"/>: they are read without bounds checks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void HashChains(ReadOnlySpan<Hash> starts, ReadOnlySpan<Hash> siblings, ReadOnlySpan<HashChain> chains, Span<Hash> ends)
    {
        var lanes = TLanes.Count;

        // Each lane's chain (-1: none), where its next sibling is, the sides of its steps still to come (bit 0
        // next) and how many steps remain.
        Span<int> laneChain = stackalloc int[MaxLanes];
        Span<int> laneSibling = stackalloc int[MaxLanes];
        Span<ulong> laneSides = stackalloc ulong[MaxLanes];
        Span<int> laneSteps = stackalloc int[MaxLanes];
        ref var chain0 = ref MemoryMarshal.GetReference(laneChain);
        ref var sibling0 = ref MemoryMarshal.GetReference(laneSibling);
        ref var sides0 = ref MemoryMarshal.GetReference(laneSides);
        ref var steps0 = ref MemoryMarshal.GetReference(laneSteps);
        ref var siblingHash0 = ref MemoryMarshal.GetReference(siblings);

        // One 64-byte row per lane: this step's sibling, then the lane's side as a whole word (all ones: the sibling
        // is on the left), read with one transposing load. Nodes in and out go through a row of 32 bytes per lane
        // (one spare row: the transposing load reads 64 bytes from each).
        Span<byte> rows = stackalloc byte[MaxLanes * RowBytes];
        Span<byte> nodes = stackalloc byte[(MaxLanes + 1) * Hash.Size];
        rows.Clear();
        nodes.Clear();
        ref var row0 = ref MemoryMarshal.GetReference(rows);
        ref var node0 = ref MemoryMarshal.GetReference(nodes);

        Unsafe.SkipInit(out VectorBlock<TVector> w);
        Unsafe.SkipInit(out VectorState<TVector> state);
        laneChain.Fill(-1);
        var next = 0;
        var running = Refill(starts, chains, ends, laneChain[..lanes], laneSibling, laneSides, laneSteps, nodes, ref next);
        LoadNodes(ref node0, ref w, ref state);
        while (running > 0)
        {
            var ended = false;
            for (var lane = 0; lane < lanes; lane++)
            {
                if (Unsafe.Add(ref chain0, lane) < 0)
                {
                    continue;
                }

                ref var at = ref Unsafe.Add(ref sibling0, lane);
                ref var sides = ref Unsafe.Add(ref sides0, lane);
                ref var row = ref Unsafe.Add(ref row0, lane * RowBytes);
                Unsafe.WriteUnaligned(ref row, Unsafe.Add(ref siblingHash0, at));
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref row, Hash.Size), unchecked(0u - (uint)(sides & 1)));
                at++;
                sides >>= 1;
                ended |= --Unsafe.Add(ref steps0, lane) == 0;
            }

            TLanes.LoadBlocks(ref row0, RowBytes, ref w[0]);
            var left = w[8];
            for (var j = 0; j < 8; j++)
            {
                var sibling = w[j];
                var node = state[j];
                w[j] = TLanes.Choose(left, sibling, node);
                w[8 + j] = TLanes.Choose(left, node, sibling);
            }

            HashNode(ref w, ref state);
            if (!ended)
            {
                continue;
            }

            TLanes.StoreDigests(ref state[0], ref node0);
            for (var lane = 0; lane < lanes; lane++)
            {
                var c = laneChain[lane];
                if (c >= 0 && laneSteps[lane] == 0)
                {
                    ends[c] = Unsafe.ReadUnaligned<Hash>(ref Unsafe.Add(ref node0, lane * Hash.Size));
                    laneChain[lane] = -1;
                    running--;
                }
            }

            running += Refill(starts, chains, ends, laneChain[..lanes], laneSibling, laneSides, laneSteps, nodes, ref next);
            LoadNodes(ref node0, ref w, ref state);
        }

        // Chains of length zero after the last one that needed a lane.
        Refill(starts, chains, ends, [], laneSibling, laneSides, laneSteps, nodes, ref next);
    }

    /// <summary>
    /// Gives every lane without a chain the next chain that has steps, writing its start into the lane's row of
    /// <paramref name="nodes"/>; chains of length zero passed on the way end at their start. Returns the lanes filled.
    /// </summary>
    private static int Refill(
        ReadOnlySpan<Hash> starts,
        ReadOnlySpan<HashChain> chains,
        Span<Hash> ends,
        Span<int> laneChain,
        Span<int> laneSibling,
        Span<ulong> laneSides,
        Span<int> laneSteps,
        Span<byte> nodes,
        ref int next)
    {
        var filled = 0;
        for (var lane = 0; lane <= laneChain.Length; lane++)
        {
            while (next < chains.Length && chains[next].Length == 0)
            {
                ends[next] = starts[next];
                next++;
            }

            if (lane == laneChain.Length || next == chains.Length)
            {
                break;
            }

            if (laneChain[lane] >= 0)
            {
                continue;
            }

            var chain = chains[next];
            laneChain[lane] = next;
            laneSibling[lane] = chain.Offset;
            laneSides[lane] = chain.LeftMask;
            laneSteps[lane] = chain.Length;
            starts[next].CopyTo(nodes[(lane * Hash.Size)..]);
            next++;
            filled++;
        }

        return filled;
    }

    /// <summary>The nodes in rows of 32 bytes at <paramref name="nodes"/>, one per lane, into <paramref name="state"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadNodes(ref byte nodes, ref VectorBlock<TVector> w, ref VectorState<TVector> state)
    {
        TLanes.LoadBlocks(ref nodes, Hash.Size, ref w[0]);
        for (var j = 0; j < 8; j++)
        {
            state[j] = w[j];
        }
    }

    /// <summary>
    /// <paramref name="state"/> = SHA-256(0x01 || pair) of every lane, where <paramref name="w"/> holds the 64 pair bytes
    /// as sixteen big-endian words; <paramref name="w"/> is consumed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HashNode(ref VectorBlock<TVector> w, ref VectorState<TVector> state)
    {
        // Block 1 is 0x01 and the first 63 pair bytes; the last byte opens block 2, followed by the padding.
        var last = ShiftIn(ref w, TLanes.Broadcast(0x01));

        var iv = Sha256Constants.InitialState;
        for (var i = 0; i < 8; i++)
        {
            state[i] = TLanes.Broadcast(iv[i]);
        }

        Compress(ref state, ref w);
        CompressNodeTail(ref state, ref w, TLanes.Or(TLanes.ShiftLeft(last, 24), TLanes.Broadcast(0x00800000)));
    }

    /// <summary>
    /// <see cref="Compress"/> of a node's second block: <paramref name="w0"/> (the pair's last byte, then the 0x80 of
    /// the padding), fourteen zero words and the bit length 520. Only the first word differs from node to node, so
    /// rounds 1 to 15 add constants and the schedule's words 16 to 31 are written out with their zero and constant
    /// terms left out (W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16]; σ0(0) = σ1(0) = 0); the rest is
    /// <see cref="Compress"/>'s. <paramref name="w"/> is overwritten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CompressNodeTail(ref VectorState<TVector> state, ref VectorBlock<TVector> w, TVector w0)
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
        RoundWithSum(a, b, c, ref d, e, f, g, ref h, TLanes.Add(w0, TLanes.Broadcast(k)));
        RoundWithSum(h, a, b, ref c, d, e, f, ref g, TLanes.Broadcast(Unsafe.Add(ref k, 1)));
        RoundWithSum(g, h, a, ref b, c, d, e, ref f, TLanes.Broadcast(Unsafe.Add(ref k, 2)));
        RoundWithSum(f, g, h, ref a, b, c, d, ref e, TLanes.Broadcast(Unsafe.Add(ref k, 3)));
        RoundWithSum(e, f, g, ref h, a, b, c, ref d, TLanes.Broadcast(Unsafe.Add(ref k, 4)));
        RoundWithSum(d, e, f, ref g, h, a, b, ref c, TLanes.Broadcast(Unsafe.Add(ref k, 5)));
        RoundWithSum(c, d, e, ref f, g, h, a, ref b, TLanes.Broadcast(Unsafe.Add(ref k, 6)));
        RoundWithSum(b, c, d, ref e, f, g, h, ref a, TLanes.Broadcast(Unsafe.Add(ref k, 7)));
        RoundWithSum(a, b, c, ref d, e, f, g, ref h, TLanes.Broadcast(Unsafe.Add(ref k, 8)));
        RoundWithSum(h, a, b, ref c, d, e, f, ref g, TLanes.Broadcast(Unsafe.Add(ref k, 9)));
        RoundWithSum(g, h, a, ref b, c, d, e, ref f, TLanes.Broadcast(Unsafe.Add(ref k, 10)));
        RoundWithSum(f, g, h, ref a, b, c, d, ref e, TLanes.Broadcast(Unsafe.Add(ref k, 11)));
        RoundWithSum(e, f, g, ref h, a, b, c, ref d, TLanes.Broadcast(Unsafe.Add(ref k, 12)));
        RoundWithSum(d, e, f, ref g, h, a, b, ref c, TLanes.Broadcast(Unsafe.Add(ref k, 13)));
        RoundWithSum(c, d, e, ref f, g, h, a, ref b, TLanes.Broadcast(Unsafe.Add(ref k, 14)));
        RoundWithSum(b, c, d, ref e, f, g, h, ref a, TLanes.Broadcast(unchecked(Unsafe.Add(ref k, 15) + NodeBits)));

        // W[16..31], as the recurrence gives them for this block.
        var s17 = TLanes.Broadcast(Sigma1Of520);
        var s19 = TLanes.Broadcast(Sigma1Of17);
        var s21 = TLanes.Broadcast(Sigma1Of19);
        w[0] = w0;
        w[1] = s17;
        w[2] = TLanes.SmallSigma1(w[0]);
        w[3] = s19;
        w[4] = TLanes.SmallSigma1(w[2]);
        w[5] = s21;
        w[6] = TLanes.Add(TLanes.SmallSigma1(w[4]), TLanes.Broadcast(NodeBits));
        w[7] = TLanes.Add(w[0], TLanes.Broadcast(Sigma1Of21));
        w[8] = TLanes.Add(TLanes.SmallSigma1(w[6]), s17);
        w[9] = TLanes.Add(TLanes.SmallSigma1(w[7]), w[2]);
        w[10] = TLanes.Add(TLanes.SmallSigma1(w[8]), s19);
        w[11] = TLanes.Add(TLanes.SmallSigma1(w[9]), w[4]);
        w[12] = TLanes.Add(TLanes.SmallSigma1(w[10]), s21);
        w[13] = TLanes.Add(TLanes.SmallSigma1(w[11]), w[6]);
        w[14] = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(w[12]), w[7]), TLanes.Broadcast(Sigma0Of520));
        w[15] = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(w[13]), w[8]), TLanes.Add(TLanes.SmallSigma0(w[0]), TLanes.Broadcast(NodeBits)));
        for (var t = 16; t < 64; t += 16)
        {
            if (t > 16)
            {
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
        TVector a, TVector b, TVector c, ref TVector d, TVector e, TVector f, TVector g, ref TVector h, TVector w, uint k) =>
        RoundWithSum(a, b, c, ref d, e, f, g, ref h, TLanes.Add(w, TLanes.Broadcast(k)));

    /// <summary>One round given W + K already summed (<paramref name="wk"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RoundWithSum(
        TVector a, TVector b, TVector c, ref TVector d, TVector e, TVector f, TVector g, ref TVector h, TVector wk)
    {
        // h + K + W does not wait for e, so it is summed first.
        var t1 = TLanes.Add(
            TLanes.Add(h, wk),
            TLanes.Add(TLanes.BigSigma1(e), TLanes.Choose(e, f, g)));
        d = TLanes.Add(d, t1);
        h = TLanes.Add(t1, TLanes.Add(TLanes.BigSigma0(a), TLanes.Majority(a, b, c)));
    }
}
