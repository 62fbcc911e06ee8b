using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EvidenceChain.Core.Internal;

/// <summary>
/// Eight lanes in AVX2 registers, for CPUs without AVX-512. AVX2 has no rotate or three-input logic instruction,
/// so each rotation is two shifts and an OR (the JIT fuses them where AVX-512VL is present anyway).
/// </summary>
internal readonly struct Avx2Lanes : ISha256Lanes<Vector256<uint>>
{
    public static int Count => 8;

    public static bool IsSupported => Avx2.IsSupported;

    public static string Name => "avx2-x8";

    /// <summary>PSHUFB control that reverses the bytes of every 32-bit word.</summary>
    private static readonly Vector256<byte> s_byteSwap =
        Vector256.Create(Vector128.Create((byte)3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));

    public static Vector256<uint> Broadcast(uint value) => Vector256.Create(value);

    public static Vector256<uint> Add(Vector256<uint> left, Vector256<uint> right) => left + right;

    public static Vector256<uint> Or(Vector256<uint> left, Vector256<uint> right) => left | right;

    public static Vector256<uint> ShiftLeft(Vector256<uint> value, byte count) => value << count;

    public static Vector256<uint> ShiftRight(Vector256<uint> value, byte count) => value >>> count;

    public static Vector256<uint> BigSigma0(Vector256<uint> x) => Rotate(x, 2) ^ Rotate(x, 13) ^ Rotate(x, 22);

    public static Vector256<uint> BigSigma1(Vector256<uint> x) => Rotate(x, 6) ^ Rotate(x, 11) ^ Rotate(x, 25);

    public static Vector256<uint> SmallSigma0(Vector256<uint> x) =>
        Rotate(x, 7) ^ Rotate(x, 18) ^ Avx2.ShiftRightLogical(x, 3);

    public static Vector256<uint> SmallSigma1(Vector256<uint> x) =>
        Rotate(x, 17) ^ Rotate(x, 19) ^ Avx2.ShiftRightLogical(x, 10);

    public static Vector256<uint> Choose(Vector256<uint> e, Vector256<uint> f, Vector256<uint> g) => ((f ^ g) & e) ^ g;

    public static Vector256<uint> Majority(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c) =>
        ((a ^ b) & c) ^ (a & b);

    public static void LoadBlocks(ref byte source, nint stride, ref Vector256<uint> words)
    {
        // Words 0..7 of the eight blocks, then words 8..15.
        Unsafe.SkipInit(out VectorState<Vector256<uint>> rows);
        for (var half = 0; half < 2; half++)
        {
            for (var i = 0; i < 8; i++)
            {
                var row = Vector256.LoadUnsafe(ref source, (nuint)((i * stride) + (half * 32)));
                rows[i] = Avx2.Shuffle(row, s_byteSwap).AsUInt32();
            }

            Transpose8(ref rows, ref Unsafe.Add(ref words, half * 8));
        }
    }

    public static void StoreDigests(ref Vector256<uint> state, ref byte destination)
    {
        Unsafe.SkipInit(out VectorState<Vector256<uint>> rows);
        for (var i = 0; i < 8; i++)
        {
            rows[i] = Avx2.Shuffle(Unsafe.Add(ref state, i).AsByte(), s_byteSwap).AsUInt32();
        }

        Unsafe.SkipInit(out VectorState<Vector256<uint>> digests);
        Transpose8(ref rows, ref digests[0]);
        for (var i = 0; i < 8; i++)
        {
            digests[i].AsByte().StoreUnsafe(ref destination, (nuint)(i * 32));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotate(Vector256<uint> x, byte count) =>
        (x >>> count) | (x << (32 - count));

    /// <summary>Transposes an 8 x 8 matrix of 32-bit words: <c>columns[j]</c> gets word j of every row.</summary>
    private static void Transpose8(ref VectorState<Vector256<uint>> rows, ref Vector256<uint> columns)
    {
        // After two rounds of unpacks, 128-bit lane k of u[4q + m] holds word 4k + m of rows 4q..4q+3.
        Unsafe.SkipInit(out VectorState<Vector256<uint>> u);
        for (var q = 0; q < 2; q++)
        {
            var r0 = rows[4 * q];
            var r1 = rows[(4 * q) + 1];
            var r2 = rows[(4 * q) + 2];
            var r3 = rows[(4 * q) + 3];
            var t0 = Avx2.UnpackLow(r0, r1).AsUInt64();
            var t1 = Avx2.UnpackHigh(r0, r1).AsUInt64();
            var t2 = Avx2.UnpackLow(r2, r3).AsUInt64();
            var t3 = Avx2.UnpackHigh(r2, r3).AsUInt64();
            u[4 * q] = Avx2.UnpackLow(t0, t2).AsUInt32();
            u[(4 * q) + 1] = Avx2.UnpackHigh(t0, t2).AsUInt32();
            u[(4 * q) + 2] = Avx2.UnpackLow(t1, t3).AsUInt32();
            u[(4 * q) + 3] = Avx2.UnpackHigh(t1, t3).AsUInt32();
        }

        for (var m = 0; m < 4; m++)
        {
            Unsafe.Add(ref columns, m) = Avx2.Permute2x128(u[m], u[4 + m], 0x20);
            Unsafe.Add(ref columns, m + 4) = Avx2.Permute2x128(u[m], u[4 + m], 0x31);
        }
    }
}
