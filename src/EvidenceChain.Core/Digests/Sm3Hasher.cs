using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EvidenceChain.Core.Digests;

/// <summary>
/// SM3 (GB/T 32905-2016; also ISO/IEC 10118-3:2018 and draft-sca-cfrg-sm3), incrementally, written for long streams:
/// whole blocks are compressed straight from the caller's bytes, the 64 rounds run four at a time on eight locals
/// that change roles instead of moving, and the expanded message and round constants are read without bounds checks.
/// A message whose first piece is at least 64 KiB (a stream: a file upload's segments) is hashed by libcrypto's SM3
/// instead where it loads and passes its self-test (about 1.3 times faster here, bench/README.md); the digests are the
/// same either way.
/// </summary>
/// <remarks>Not thread-safe. <see cref="Finish()"/> resets it for a new message.</remarks>
public sealed class Sm3Hasher
{
    /// <summary>The digest size in bytes.</summary>
    public const int HashSize = 32;

    private const int BlockSize = 64;

    // T_j rotated left by j mod 32, as every round uses it (GB/T 32905 §4.2 and §5.3.3).
    private static readonly uint[] RoundConstants = MakeRoundConstants();

    /// <summary>The shortest first piece that sends a message to libcrypto: below it, the calls' fixed cost shows.</summary>
    internal const int LibCryptoFrom = 64 << 10;

    private readonly uint[] _state = new uint[8];
    private readonly bool _useLibCrypto;
    private EvidenceChain.Core.Internal.LibCryptoSm3? _native; // made on first use, kept for the next messages
    private bool _inNative; // this message goes through _native
    private readonly byte[] _buffer = new byte[BlockSize];
    private int _buffered;
    private long _length;

    /// <summary>Starts a new message.</summary>
    public Sm3Hasher()
        : this(useLibCrypto: true)
    {
    }

    /// <summary>Starts a new message; with <paramref name="useLibCrypto"/> false it never leaves managed code.</summary>
    internal Sm3Hasher(bool useLibCrypto)
    {
        _useLibCrypto = useLibCrypto && EvidenceChain.Core.Internal.LibCryptoSm3.Functions is not null;
        Reset();
    }

    /// <summary>Hashes the next bytes of the message.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_length == 0 && data.Length >= LibCryptoFrom && _useLibCrypto)
        {
            _native ??= EvidenceChain.Core.Internal.LibCryptoSm3.TryCreate();
            _inNative = _native is not null;
        }

        _length = checked(_length + data.Length);
        if (_inNative)
        {
            _native!.Append(data);
            return;
        }
        if (_buffered > 0)
        {
            var take = Math.Min(BlockSize - _buffered, data.Length);
            data[..take].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += take;
            data = data[take..];
            if (_buffered < BlockSize)
            {
                return;
            }

            Compress(_state, _buffer);
            _buffered = 0;
        }

        var whole = data.Length & ~(BlockSize - 1);
        if (whole > 0)
        {
            Compress(_state, data[..whole]);
        }

        data[whole..].CopyTo(_buffer);
        _buffered = data.Length - whole;
    }

    /// <summary>Whether the current message goes through libcrypto (for tests).</summary>
    internal bool InLibCrypto => _inNative;

    /// <summary>Bytes hashed since the start of the message.</summary>
    public long Length => _length;

    /// <summary>Returns the digest of everything appended and resets for a new message.</summary>
    public Hash Finish()
    {
        Span<byte> digest = stackalloc byte[HashSize];
        Finish(digest);
        return new Hash(digest);
    }

    /// <summary>Writes the digest of everything appended to <paramref name="digest"/> (at least 32 bytes) and resets.</summary>
    public void Finish(Span<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, HashSize, nameof(digest));
        if (_inNative)
        {
            _native!.Finish(digest);
            Reset();
            return;
        }

        var bits = unchecked((ulong)_length * 8);
        Span<byte> tail = stackalloc byte[2 * BlockSize];
        tail.Clear();
        _buffer.AsSpan(0, _buffered).CopyTo(tail);
        tail[_buffered] = 0x80;
        var padded = _buffered + 1 + 8 <= BlockSize ? BlockSize : 2 * BlockSize;
        BinaryPrimitives.WriteUInt64BigEndian(tail[(padded - 8)..], bits);
        Compress(_state, tail[..padded]);
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest[(4 * i)..], _state[i]);
        }

        Reset();
    }

    /// <summary>SM3 of <paramref name="data"/> into <paramref name="digest"/> (32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        var sm3 = new Sm3Hasher();
        sm3.Append(data);
        sm3.Finish(digest);
    }

    private void Reset()
    {
        // The initial value IV (GB/T 32905 §4.1).
        _state[0] = 0x7380166f;
        _state[1] = 0x4914b2b9;
        _state[2] = 0x172442d7;
        _state[3] = 0xda8a0600;
        _state[4] = 0xa96f30bc;
        _state[5] = 0x163138aa;
        _state[6] = 0xe38dee4d;
        _state[7] = 0xb0fb0e4e;
        _buffered = 0;
        _length = 0;
        _inNative = false;
    }

    private static uint[] MakeRoundConstants()
    {
        var t = new uint[64];
        for (var j = 0; j < 64; j++)
        {
            t[j] = BitOperations.RotateLeft(j < 16 ? 0x79cc4519u : 0x7a879d8au, j % 32);
        }

        return t;
    }

    /// <summary>Compresses whole blocks (<paramref name="blocks"/> is a multiple of 64 bytes) into the state.</summary>
    private static void Compress(uint[] state, ReadOnlySpan<byte> blocks)
    {
        unchecked
        {
        Span<uint> expanded = stackalloc uint[68];
        ref var w = ref MemoryMarshal.GetReference(expanded);
        ref var t = ref MemoryMarshal.GetArrayDataReference(RoundConstants);
        uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        while (blocks.Length >= BlockSize)
        {
            Expand(blocks[..BlockSize], ref w);
            uint a0 = a, b0 = b, c0 = c, d0 = d, e0 = e, f0 = f, g0 = g, h0 = h;
            ref var tj = ref t;
            ref var wj = ref w;
            for (var j = 0; j < 16; j += 4)
            {
                Round0(a, ref b, c, ref d, e, ref f, g, ref h, tj, wj, Unsafe.Add(ref wj, 4));
                Round0(d, ref a, b, ref c, h, ref e, f, ref g, Unsafe.Add(ref tj, 1), Unsafe.Add(ref wj, 1), Unsafe.Add(ref wj, 5));
                Round0(c, ref d, a, ref b, g, ref h, e, ref f, Unsafe.Add(ref tj, 2), Unsafe.Add(ref wj, 2), Unsafe.Add(ref wj, 6));
                Round0(b, ref c, d, ref a, f, ref g, h, ref e, Unsafe.Add(ref tj, 3), Unsafe.Add(ref wj, 3), Unsafe.Add(ref wj, 7));
                tj = ref Unsafe.Add(ref tj, 4);
                wj = ref Unsafe.Add(ref wj, 4);
            }

            for (var j = 16; j < 64; j += 4)
            {
                Round1(a, ref b, c, ref d, e, ref f, g, ref h, tj, wj, Unsafe.Add(ref wj, 4));
                Round1(d, ref a, b, ref c, h, ref e, f, ref g, Unsafe.Add(ref tj, 1), Unsafe.Add(ref wj, 1), Unsafe.Add(ref wj, 5));
                Round1(c, ref d, a, ref b, g, ref h, e, ref f, Unsafe.Add(ref tj, 2), Unsafe.Add(ref wj, 2), Unsafe.Add(ref wj, 6));
                Round1(b, ref c, d, ref a, f, ref g, h, ref e, Unsafe.Add(ref tj, 3), Unsafe.Add(ref wj, 3), Unsafe.Add(ref wj, 7));
                tj = ref Unsafe.Add(ref tj, 4);
                wj = ref Unsafe.Add(ref wj, 4);
            }

            a ^= a0;
            b ^= b0;
            c ^= c0;
            d ^= d0;
            e ^= e0;
            f ^= f0;
            g ^= g0;
            h ^= h0;
            blocks = blocks[BlockSize..];
        }

        state[0] = a;
        state[1] = b;
        state[2] = c;
        state[3] = d;
        state[4] = e;
        state[5] = f;
        state[6] = g;
        state[7] = h;
        }
    }

    // Message expansion (GB/T 32905 §5.3.2): W0..W67; W'j = Wj ^ Wj+4 is formed in the rounds.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Expand(ReadOnlySpan<byte> block, ref uint w)
    {
        unchecked
        {
        ref var bytes = ref MemoryMarshal.GetReference(block);
        for (var i = 0; i < 16; i++)
        {
            Unsafe.Add(ref w, i) = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref bytes, 4 * i)));
        }

        // wi points at W[i - 16] while W[i] is made.
        ref var wi = ref w;
        for (var i = 16; i < 68; i++)
        {
            var x = wi ^ Unsafe.Add(ref wi, 7) ^ BitOperations.RotateLeft(Unsafe.Add(ref wi, 13), 15);
            Unsafe.Add(ref wi, 16) = P1(x) ^ BitOperations.RotateLeft(Unsafe.Add(ref wi, 3), 7) ^ Unsafe.Add(ref wi, 10);
            wi = ref Unsafe.Add(ref wi, 1);
        }
        }
    }

    // One round (GB/T 32905 §5.3.3) with the roles renamed instead of moved: the caller's next round takes
    // (d, a, b, c, h, e, f, g) as (A, B, C, D, E, F, G, H), since B <<< 9 and F <<< 19 are rotated in place and
    // D and H receive the new A and E.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round0(uint a, ref uint b, uint c, ref uint d, uint e, ref uint f, uint g, ref uint h, uint tj, uint wj, uint wj4)
    {
        unchecked
        {
            var a12 = BitOperations.RotateLeft(a, 12);
            var ss1 = BitOperations.RotateLeft(a12 + e + tj, 7);
            var tt1 = (a ^ b ^ c) + d + (ss1 ^ a12) + (wj ^ wj4);
            var tt2 = (e ^ f ^ g) + h + ss1 + wj;
            b = BitOperations.RotateLeft(b, 9);
            f = BitOperations.RotateLeft(f, 19);
            d = tt1;
            h = P0(tt2);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round1(uint a, ref uint b, uint c, ref uint d, uint e, ref uint f, uint g, ref uint h, uint tj, uint wj, uint wj4)
    {
        unchecked
        {
            var a12 = BitOperations.RotateLeft(a, 12);
            var ss1 = BitOperations.RotateLeft(a12 + e + tj, 7);
            var tt1 = ((a & b) | (c & (a | b))) + d + (ss1 ^ a12) + (wj ^ wj4); // FF1: majority
            var tt2 = (g ^ (e & (f ^ g))) + h + ss1 + wj; // GG1: choose
            b = BitOperations.RotateLeft(b, 9);
            f = BitOperations.RotateLeft(f, 19);
            d = tt1;
            h = P0(tt2);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint P0(uint x) => x ^ BitOperations.RotateLeft(x, 9) ^ BitOperations.RotateLeft(x, 17);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint P1(uint x) => x ^ BitOperations.RotateLeft(x, 15) ^ BitOperations.RotateLeft(x, 23);
}
