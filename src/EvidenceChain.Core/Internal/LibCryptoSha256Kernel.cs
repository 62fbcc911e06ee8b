using System.Buffers.Binary;
using System.Runtime.InteropServices;
using EvidenceChain.Merkle;

namespace EvidenceChain.Internal;

/// <summary>
/// SHA-256 through OpenSSL's block function <c>SHA256_Transform</c> (SHA-NI or AVX2 assembly, chosen by
/// OpenSSL for the CPU), with padding done here: no context allocation, no error-queue work and one native
/// call per 64-byte block. .NET's own SHA-256 costs about 300 ns per call in fixed overhead on a 65-byte
/// message that needs about 60 ns of hashing (bench-reference README); this removes that overhead.
/// </summary>
/// <remarks>
/// Available only where libcrypto 3 or 1.1 can be loaded and exports the (deprecated but stable) low-level
/// API; <see cref="TryCreate"/> returns null elsewhere and <see cref="Sha256Kernel"/> falls back to the
/// portable kernel. Stateless and thread-safe: each call keeps its state on the stack.
/// </remarks>
internal sealed unsafe class LibCryptoSha256Kernel : ISha256Kernel
{
    private const int BlockSize = 64;

    // SHA256_CTX as OpenSSL lays it out: h[8], Nl, Nh, data[16], num, md_len (all 32-bit): 112 bytes.
    private const int ContextSize = 112;

    private static readonly uint[] InitialState =
    [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ];

    private readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, void> _transform;
    private readonly string _library;

    private LibCryptoSha256Kernel(delegate* unmanaged[SuppressGCTransition]<byte*, byte*, void> transform, string library)
    {
        _transform = transform;
        _library = library;
    }

    public string Name => $"libcrypto-SHA256_Transform ({_library})";

    /// <summary>Loads libcrypto and checks the kernel against the managed one; null when unavailable or wrong.</summary>
    public static LibCryptoSha256Kernel? TryCreate()
    {
        foreach (var name in (string[])["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.3.dylib"])
        {
            if (NativeLibrary.TryLoad(name, out var handle)
                && NativeLibrary.TryGetExport(handle, "SHA256_Transform", out var transform))
            {
                var kernel = new LibCryptoSha256Kernel(
                    (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, void>)transform, name);
                return kernel.SelfTest() ? kernel : null;
            }
        }

        return null;
    }

    public void Hash(ReadOnlySpan<byte> message, Span<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, EvidenceChain.Hash.Size, nameof(digest));
        byte* context = stackalloc byte[ContextSize];
        Start(context);
        Hash(context, message, (ulong)message.Length, digest);
    }

    /// <summary>Hashes the rest of a message into a started context; <paramref name="total"/> is the whole message's length.</summary>
    private void Hash(byte* context, ReadOnlySpan<byte> rest, ulong total, Span<byte> digest)
    {
        fixed (byte* data = rest)
        {
            var whole = rest.Length / BlockSize;
            for (var b = 0; b < whole; b++)
            {
                _transform(context, data + (b * BlockSize));
            }

            Finish(context, data + (whole * BlockSize), rest.Length - (whole * BlockSize), total, digest);
        }
    }

    public void HashPrefixed(byte prefix, ReadOnlySpan<byte> message, Span<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, EvidenceChain.Hash.Size, nameof(digest));
        byte* context = stackalloc byte[ContextSize];
        byte* first = stackalloc byte[BlockSize];
        Start(context);
        first[0] = prefix;
        var head = Math.Min(message.Length, BlockSize - 1);
        message[..head].CopyTo(new Span<byte>(first + 1, BlockSize - 1));
        var total = (ulong)message.Length + 1;
        if (head + 1 < BlockSize)
        {
            // Prefix and message fit in the first block: finish straight from it.
            Finish(context, first, head + 1, total, digest);
            return;
        }

        _transform(context, first);
        Hash(context, message[head..], total, digest);
    }

    public void HashPairs(ReadOnlySpan<Hash> children, Span<Hash> parents)
    {
        // A node message is 65 bytes: two blocks, [0x01 || left || right[..31]] and [right[31] || 0x80 || 0... || 520 in bits].
        byte* context = stackalloc byte[ContextSize];
        byte* blocks = stackalloc byte[2 * BlockSize];
        new Span<byte>(blocks, 2 * BlockSize).Clear();
        blocks[0] = Rfc6962.NodePrefix;
        blocks[BlockSize + 1] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(new Span<byte>(blocks + (2 * BlockSize) - 8, 8), 65 * 8);
        var digest = stackalloc byte[EvidenceChain.Hash.Size];
        fixed (Hash* pairs = children)
        {
            var source = (byte*)pairs;
            for (var i = 0; i < parents.Length; i++)
            {
                var pair = source + (i * 2 * EvidenceChain.Hash.Size);
                Buffer.MemoryCopy(pair, blocks + 1, 63, 63);
                blocks[BlockSize] = pair[63];
                Start(context);
                _transform(context, blocks);
                _transform(context, blocks + BlockSize);
                WriteDigest(context, new Span<byte>(digest, EvidenceChain.Hash.Size));
                parents[i] = new Hash(new ReadOnlySpan<byte>(digest, EvidenceChain.Hash.Size));
            }
        }
    }

    private static void Start(byte* context)
    {
        fixed (uint* initial = InitialState)
        {
            Buffer.MemoryCopy(initial, context, ContextSize, 32);
        }
    }

    private void Finish(byte* context, byte* tail, int tailLength, ulong messageLength, Span<byte> digest)
    {
        // The last block or two: the tail, 0x80, zeros, and the length in bits as a big-endian 64-bit number.
        byte* blocks = stackalloc byte[2 * BlockSize];
        var span = new Span<byte>(blocks, 2 * BlockSize);
        span.Clear();
        new ReadOnlySpan<byte>(tail, tailLength).CopyTo(span);
        span[tailLength] = 0x80;
        var count = tailLength + 9 <= BlockSize ? 1 : 2;
        BinaryPrimitives.WriteUInt64BigEndian(span.Slice((count * BlockSize) - 8, 8), messageLength * 8);
        for (var b = 0; b < count; b++)
        {
            _transform(context, blocks + (b * BlockSize));
        }

        WriteDigest(context, digest);
    }

    private static void WriteDigest(byte* context, Span<byte> digest)
    {
        var state = (uint*)context;
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest[(i * 4)..], state[i]);
        }
    }

    private bool SelfTest()
    {
        // Lengths around every padding boundary, compared with the managed kernel.
        Span<byte> message = stackalloc byte[200];
        for (var i = 0; i < message.Length; i++)
        {
            message[i] = unchecked((byte)((i * 131) + 7));
        }

        Span<byte> mine = stackalloc byte[32];
        Span<byte> theirs = stackalloc byte[32];
        foreach (var length in (int[])[0, 1, 33, 54, 55, 56, 62, 63, 64, 65, 119, 120, 128, 199])
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

        return true;
    }
}
