using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Core.Internal;

/// <summary>
/// SHA-256 through OpenSSL's low-level API (SHA-NI on CPUs that have it) with one unmanaged call per short message:
/// we pad the message ourselves and hand whole blocks to <c>SHA256_Update</c> on a context whose chaining value
/// we set and read directly, so there is no <c>SHA256_Init</c>/<c>SHA256_Final</c> call, no allocation, no
/// error-queue work and no algorithm fetch. .NET's own SHA-256 costs about 300 ns per call in fixed overhead on
/// a 65-byte message that needs about 60 ns of hashing (bench-reference README); this removes nearly all of it.
/// </summary>
/// <remarks>
/// Relies on the layout of <c>SHA256_CTX</c> from <c>openssl/sha.h</c>, identical in 1.1 and 3.x: h[8], Nl, Nh,
/// data[16], num, md_len. <see cref="TryCreate"/> checks that layout after a real <c>SHA256_Init</c> and runs a
/// self-test against .NET's SHA-256; it returns null where libcrypto 3 or 1.1 cannot be loaded, lacks the
/// (deprecated but stable) low-level API, or fails a check, and <see cref="Sha256Kernel"/> falls back to the
/// portable kernel. Stateless and thread-safe: each call keeps its state on the stack.
/// </remarks>
internal sealed unsafe class LibCryptoSha256Kernel : ISha256Kernel
{
    // sizeof(SHA256_CTX) is 112 bytes in OpenSSL 1.1 and 3.x; keep room to spare.
    private const int ContextSize = 128;
    private const int CountOffset = 32;
    private const int NumOffset = 104;
    private const int MdLenOffset = 108;
    private const int BlockSize = 64;

    /// <summary>Messages up to this many bytes fit in two padded blocks (a 0x80 byte and a 64-bit length follow).</summary>
    private const int MaxPadded = (2 * BlockSize) - 9;

    private const int NodeSize = 1 + (2 * EvidenceChain.Core.Hash.Size);

    private readonly delegate* unmanaged[SuppressGCTransition]<byte*, int> _init;
    private readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, nuint, int> _update;
    private readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, int> _final;
    private readonly string _library;

    private LibCryptoSha256Kernel(nint init, nint update, nint final, string library)
    {
        _init = (delegate* unmanaged[SuppressGCTransition]<byte*, int>)init;
        _update = (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, nuint, int>)update;
        _final = (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, int>)final;
        _library = library;
    }

    public string Name => $"libcrypto-SHA256_lowlevel ({_library})";

    /// <summary>Loads libcrypto and checks the kernel against the managed one; null when unavailable or wrong.</summary>
    public static LibCryptoSha256Kernel? TryCreate()
    {
        if (OperatingSystem.IsBrowser() || OperatingSystem.IsWasi())
        {
            return null; // no native libraries in WebAssembly
        }

        foreach (var name in (string[])["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.3.dylib"])
        {
            if (NativeLibrary.TryLoad(name, out var handle)
                && NativeLibrary.TryGetExport(handle, "SHA256_Init", out var init)
                && NativeLibrary.TryGetExport(handle, "SHA256_Update", out var update)
                && NativeLibrary.TryGetExport(handle, "SHA256_Final", out var final))
            {
                var kernel = new LibCryptoSha256Kernel(init, update, final, name);
                return kernel.HasExpectedLayout() && kernel.SelfTest() ? kernel : null;
            }
        }

        return null;
    }

    public void Hash(ReadOnlySpan<byte> message, Span<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, EvidenceChain.Core.Hash.Size, nameof(digest));
        if (message.Length <= MaxPadded)
        {
            byte* buffer = stackalloc byte[(2 * BlockSize) + ContextSize];
            message.CopyTo(new Span<byte>(buffer, message.Length));
            fixed (byte* output = digest)
            {
                HashPadded(buffer, message.Length, output);
            }

            return;
        }

        byte* context = stackalloc byte[ContextSize];
        fixed (byte* data = message)
        fixed (byte* output = digest)
        {
            _init(context);
            _update(context, data, (nuint)message.Length);
            _final(output, context);
        }
    }

    public void HashPrefixed(byte prefix, ReadOnlySpan<byte> message, Span<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, EvidenceChain.Core.Hash.Size, nameof(digest));
        if (message.Length < MaxPadded)
        {
            // The short leaves that dominate: one call.
            byte* buffer = stackalloc byte[(2 * BlockSize) + ContextSize];
            buffer[0] = prefix;
            message.CopyTo(new Span<byte>(buffer + 1, message.Length));
            fixed (byte* output = digest)
            {
                HashPadded(buffer, message.Length + 1, output);
            }

            return;
        }

        byte* context = stackalloc byte[ContextSize];
        fixed (byte* data = message)
        fixed (byte* output = digest)
        {
            _init(context);
            _update(context, &prefix, 1);
            _update(context, data, (nuint)message.Length);
            _final(output, context);
        }
    }

    public void HashPrefixedBatch(byte prefix, ReadOnlySpan<byte> messages, int length, Span<Hash> digests)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(messages.Length, length * digests.Length, nameof(messages));
        var output = MemoryMarshal.AsBytes(digests);
        for (var i = 0; i < digests.Length; i++)
        {
            HashPrefixed(prefix, messages.Slice(i * length, length), output.Slice(i * EvidenceChain.Core.Hash.Size, EvidenceChain.Core.Hash.Size));
        }
    }

    public Hash HashNode(in Hash left, in Hash right)
    {
        byte* buffer = stackalloc byte[(2 * BlockSize) + ContextSize];
        WriteNode(buffer, left, right);
        Hash parent;
        Compress(buffer, 2, (byte*)&parent);
        return parent;
    }

    public void HashPairs(ReadOnlySpan<Hash> children, Span<Hash> parents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(children.Length, parents.Length * 2, nameof(children));
        byte* buffer = stackalloc byte[(2 * BlockSize) + ContextSize];
        fixed (Hash* pairs = children)
        fixed (Hash* output = parents)
        {
            for (var i = 0; i < parents.Length; i++)
            {
                WriteNode(buffer, pairs[2 * i], pairs[(2 * i) + 1]);
                Compress(buffer, 2, (byte*)(output + i));
            }
        }
    }

    /// <summary>0x01 || left || right, padded to two blocks (65 bytes = 520 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteNode(byte* buffer, in Hash left, in Hash right)
    {
        // The padding goes first: the right child's last byte then lands over the first byte of block 2.
        new Span<byte>(buffer + BlockSize, BlockSize).Clear();
        buffer[NodeSize] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(buffer + (2 * BlockSize) - 2, 2), NodeSize * 8);
        buffer[0] = Rfc6962.NodePrefix;
        Unsafe.WriteUnaligned(buffer + 1, left);
        Unsafe.WriteUnaligned(buffer + 1 + EvidenceChain.Core.Hash.Size, right);
    }

    /// <summary>
    /// SHA-256 of the <paramref name="length"/> bytes at <paramref name="buffer"/>, which has room for two blocks
    /// and a context.
    /// </summary>
    private void HashPadded(byte* buffer, int length, byte* digest)
    {
        var blocks = length + 9 <= BlockSize ? 1 : 2;
        var end = blocks * BlockSize;
        buffer[length] = 0x80;
        new Span<byte>(buffer + length + 1, end - length - 9).Clear();
        BinaryPrimitives.WriteUInt64BigEndian(new Span<byte>(buffer + end - 8, 8), (ulong)length * 8);
        Compress(buffer, blocks, digest);
    }

    /// <summary>
    /// Runs the compression function over <paramref name="count"/> padded blocks from the initial value and writes
    /// the digest; the context lives in the caller's buffer, just after the two blocks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Compress(byte* blocks, int count, byte* digest)
    {
        // SHA256_Update hands whole blocks straight to the block function when the context's buffer is empty
        // (num == 0), so all it needs from us is the chaining value and an empty buffer.
        var context = blocks + (2 * BlockSize);
        var state = (uint*)context;
        var iv = Sha256Constants.InitialState;
        for (var i = 0; i < 8; i++)
        {
            state[i] = iv[i];
        }

        *(ulong*)(context + CountOffset) = 0;
        *(uint*)(context + NumOffset) = 0;
        _update(context, blocks, (nuint)(count * BlockSize));
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(new Span<byte>(digest + (4 * i), 4), state[i]);
        }
    }

    /// <summary>Checks that a freshly initialised SHA256_CTX looks as <c>openssl/sha.h</c> lays it out.</summary>
    private bool HasExpectedLayout()
    {
        byte* context = stackalloc byte[ContextSize];
        new Span<byte>(context, ContextSize).Fill(0xA5);
        _init(context);
        return new ReadOnlySpan<uint>(context, 8).SequenceEqual(Sha256Constants.InitialState)
            && *(ulong*)(context + CountOffset) == 0
            && *(uint*)(context + NumOffset) == 0
            && *(uint*)(context + MdLenOffset) == EvidenceChain.Core.Hash.Size;
    }

    private bool SelfTest()
    {
        // Lengths around every padding boundary of both paths, compared with the managed kernel.
        Span<byte> message = stackalloc byte[200];
        for (var i = 0; i < message.Length; i++)
        {
            message[i] = unchecked((byte)((i * 131) + 7));
        }

        Span<byte> mine = stackalloc byte[32];
        Span<byte> theirs = stackalloc byte[32];
        foreach (var length in (int[])[0, 1, 33, 54, 55, 56, 62, 63, 64, 65, 118, 119, 120, 126, 127, 128, 199])
        {
            Hash(message[..length], mine);
            ManagedSha256Kernel.Instance.Hash(message[..length], theirs);
            if (!mine.SequenceEqual(theirs))
            {
                return false;
            }

            HashPrefixed(message[199], message[..length], mine);
            ManagedSha256Kernel.Instance.HashPrefixed(message[199], message[..length], theirs);
            if (!mine.SequenceEqual(theirs))
            {
                return false;
            }
        }

        var left = new Hash(message[..32]);
        var right = new Hash(message[32..64]);
        return HashNode(left, right) == ManagedSha256Kernel.Instance.HashNode(left, right);
    }
}
