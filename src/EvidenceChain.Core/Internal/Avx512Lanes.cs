using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EvidenceChain.Core.Internal;

/// <summary>
/// Sixteen lanes in AVX-512 registers: VPRORD for the rotations, VPTERNLOGD for the three-input XORs, Ch and Maj,
/// so a round is about a dozen instructions for sixteen messages.
/// </summary>
internal readonly struct Avx512Lanes : ISha256Lanes<Vector512<uint>>
{
    public static int Count => 16;

    public static bool IsSupported => Avx512F.IsSupported && Avx512BW.IsSupported;

    public static string Name => "avx512-x16";

    // VPTERNLOGD truth tables over (A, B, C) = (0xF0, 0xCC, 0xAA).
    private const byte Xor3 = 0x96;
    private const byte Select = 0xCA;
    private const byte Majority3 = 0xE8;

    /// <summary>PSHUFB control that reverses the bytes of every 32-bit word.</summary>
    private static readonly Vector512<byte> s_byteSwap = Vector512.Create(
        Vector256.Create(Vector128.Create((byte)3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12)));

    public static Vector512<uint> Broadcast(uint value) => Vector512.Create(value);

    public static Vector512<uint> Add(Vector512<uint> left, Vector512<uint> right) => left + right;

    public static Vector512<uint> Or(Vector512<uint> left, Vector512<uint> right) => left | right;

    public static Vector512<uint> ShiftLeft(Vector512<uint> value, byte count) => value << count;

    public static Vector512<uint> ShiftRight(Vector512<uint> value, byte count) => value >>> count;

    public static Vector512<uint> BigSigma0(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 2), Avx512F.RotateRight(x, 13), Avx512F.RotateRight(x, 22), Xor3);

    public static Vector512<uint> BigSigma1(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 6), Avx512F.RotateRight(x, 11), Avx512F.RotateRight(x, 25), Xor3);

    public static Vector512<uint> SmallSigma0(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 7), Avx512F.RotateRight(x, 18), Avx512F.ShiftRightLogical(x, 3), Xor3);

    public static Vector512<uint> SmallSigma1(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 17), Avx512F.RotateRight(x, 19), Avx512F.ShiftRightLogical(x, 10), Xor3);

    public static Vector512<uint> Choose(Vector512<uint> e, Vector512<uint> f, Vector512<uint> g) =>
        Avx512F.TernaryLogic(e, f, g, Select);

    public static Vector512<uint> Majority(Vector512<uint> a, Vector512<uint> b, Vector512<uint> c) =>
        Avx512F.TernaryLogic(a, b, c, Majority3);

    public static void LoadBlocks(ref byte source, nint stride, ref Vector512<uint> words)
    {
        Unsafe.SkipInit(out VectorBlock<Vector512<uint>> rows);
        for (var i = 0; i < 16; i++)
        {
            var row = Vector512.LoadUnsafe(ref source, (nuint)(i * stride));
            rows[i] = Avx512BW.Shuffle(row, s_byteSwap).AsUInt32();
        }

        Transpose16(ref rows, ref words);
    }

    public static void StoreDigests(ref Vector512<uint> state, ref byte destination)
    {
        // Two rounds of unpacks leave, in u[4q + m], 128-bit lane k = words 4q..4q+3 of message 4k + m.
        Unsafe.SkipInit(out VectorState<Vector512<uint>> s);
        for (var i = 0; i < 8; i++)
        {
            s[i] = Avx512BW.Shuffle(Unsafe.Add(ref state, i).AsByte(), s_byteSwap).AsUInt32();
        }

        Unsafe.SkipInit(out VectorState<Vector512<uint>> u);
        UnpackQuads(ref s[0], ref u[0]);
        UnpackQuads(ref s[4], ref u[4]);
        for (var m = 0; m < 4; m++)
        {
            // [u[m].k, u[4+m].k] is message 4k + m's digest; pair the lanes up for 256-bit stores.
            var low = Avx512F.Shuffle4x128(u[m], u[4 + m], 0x44);
            low = Avx512F.Shuffle4x128(low, low, 0xD8);
            var high = Avx512F.Shuffle4x128(u[m], u[4 + m], 0xEE);
            high = Avx512F.Shuffle4x128(high, high, 0xD8);
            low.GetLower().AsByte().StoreUnsafe(ref destination, (nuint)(m * 32));
            low.GetUpper().AsByte().StoreUnsafe(ref destination, (nuint)((m + 4) * 32));
            high.GetLower().AsByte().StoreUnsafe(ref destination, (nuint)((m + 8) * 32));
            high.GetUpper().AsByte().StoreUnsafe(ref destination, (nuint)((m + 12) * 32));
        }
    }

    /// <summary>Transposes a 16 x 16 matrix of 32-bit words: <c>columns[j]</c> gets word j of every row.</summary>
    private static void Transpose16(ref VectorBlock<Vector512<uint>> rows, ref Vector512<uint> columns)
    {
        Unsafe.SkipInit(out VectorBlock<Vector512<uint>> u);
        for (var q = 0; q < 4; q++)
        {
            UnpackQuads(ref rows[4 * q], ref u[4 * q]);
        }

        for (var m = 0; m < 4; m++)
        {
            var v0 = Avx512F.Shuffle4x128(u[m], u[4 + m], 0x88);
            var v1 = Avx512F.Shuffle4x128(u[m], u[4 + m], 0xDD);
            var x0 = Avx512F.Shuffle4x128(u[8 + m], u[12 + m], 0x88);
            var x1 = Avx512F.Shuffle4x128(u[8 + m], u[12 + m], 0xDD);
            Unsafe.Add(ref columns, m) = Avx512F.Shuffle4x128(v0, x0, 0x88);
            Unsafe.Add(ref columns, m + 8) = Avx512F.Shuffle4x128(v0, x0, 0xDD);
            Unsafe.Add(ref columns, m + 4) = Avx512F.Shuffle4x128(v1, x1, 0x88);
            Unsafe.Add(ref columns, m + 12) = Avx512F.Shuffle4x128(v1, x1, 0xDD);
        }
    }

    /// <summary>
    /// Four rows r0..r3 to u0..u3 where 128-bit lane k of u_m is [r0, r1, r2, r3] at word 4k + m.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UnpackQuads(ref Vector512<uint> r, ref Vector512<uint> u)
    {
        var r0 = r;
        var r1 = Unsafe.Add(ref r, 1);
        var r2 = Unsafe.Add(ref r, 2);
        var r3 = Unsafe.Add(ref r, 3);
        var t0 = Avx512F.UnpackLow(r0, r1).AsUInt64();
        var t1 = Avx512F.UnpackHigh(r0, r1).AsUInt64();
        var t2 = Avx512F.UnpackLow(r2, r3).AsUInt64();
        var t3 = Avx512F.UnpackHigh(r2, r3).AsUInt64();
        u = Avx512F.UnpackLow(t0, t2).AsUInt32();
        Unsafe.Add(ref u, 1) = Avx512F.UnpackHigh(t0, t2).AsUInt32();
        Unsafe.Add(ref u, 2) = Avx512F.UnpackLow(t1, t3).AsUInt32();
        Unsafe.Add(ref u, 3) = Avx512F.UnpackHigh(t1, t3).AsUInt32();
    }
}
