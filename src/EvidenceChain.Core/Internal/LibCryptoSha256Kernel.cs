using System.Runtime.InteropServices;
using EvidenceChain.Merkle;

namespace EvidenceChain.Internal;

/// <summary>
/// SHA-256 through OpenSSL's low-level <c>SHA256_Init/Update/Final</c> on a context kept on the stack: no
/// allocation, no error-queue work, no algorithm fetch. .NET's own SHA-256 costs about 300 ns per call in fixed
/// overhead on a 65-byte message that needs about 60 ns of hashing (bench-reference README); this removes it.
/// (Measured on this machine kind, the low-level API also beats <c>SHA256_Transform</c> with our own padding.)
/// </summary>
/// <remarks>
/// Available only where libcrypto 3 or 1.1 can be loaded and exports the (deprecated but stable) low-level
/// API; <see cref="TryCreate"/> returns null elsewhere, or when a self-test against .NET's SHA-256 fails,
/// and <see cref="Sha256Kernel"/> falls back to the portable kernel. Stateless and thread-safe: each call
/// keeps its state on the stack.
/// </remarks>
internal sealed unsafe class LibCryptoSha256Kernel : ISha256Kernel
{
    // sizeof(SHA256_CTX) is 112 bytes in OpenSSL 1.1 and 3.x; keep room to spare.
    private const int ContextSize = 128;
    private const int NodeSize = 1 + (2 * EvidenceChain.Hash.Size);

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
        foreach (var name in (string[])["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.3.dylib"])
        {
            if (NativeLibrary.TryLoad(name, out var handle)
                && NativeLibrary.TryGetExport(handle, "SHA256_Init", out var init)
                && NativeLibrary.TryGetExport(handle, "SHA256_Update", out var update)
                && NativeLibrary.TryGetExport(handle, "SHA256_Final", out var final))
            {
                var kernel = new LibCryptoSha256Kernel(init, update, final, name);
                return kernel.SelfTest() ? kernel : null;
            }
        }

        return null;
    }

    public void Hash(ReadOnlySpan<byte> message, Span<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, EvidenceChain.Hash.Size, nameof(digest));
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
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, EvidenceChain.Hash.Size, nameof(digest));
        byte* context = stackalloc byte[ContextSize];
        fixed (byte* data = message)
        fixed (byte* output = digest)
        {
            _init(context);
            if (message.Length <= 127)
            {
                // One update is cheaper than two for the short leaves that dominate.
                byte* buffer = stackalloc byte[128];
                buffer[0] = prefix;
                Buffer.MemoryCopy(data, buffer + 1, 127, message.Length);
                _update(context, buffer, (nuint)(message.Length + 1));
            }
            else
            {
                _update(context, &prefix, 1);
                _update(context, data, (nuint)message.Length);
            }

            _final(output, context);
        }
    }

    public void HashPairs(ReadOnlySpan<Hash> children, Span<Hash> parents)
    {
        byte* context = stackalloc byte[ContextSize];
        byte* node = stackalloc byte[NodeSize];
        node[0] = Rfc6962.NodePrefix;
        fixed (Hash* pairs = children)
        fixed (Hash* output = parents)
        {
            var source = (byte*)pairs;
            for (var i = 0; i < parents.Length; i++)
            {
                Buffer.MemoryCopy(source + (i * 2 * EvidenceChain.Hash.Size), node + 1, NodeSize - 1, NodeSize - 1);
                _init(context);
                _update(context, node, NodeSize);
                _final((byte*)(output + i), context);
            }
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
        foreach (var length in (int[])[0, 1, 33, 54, 55, 56, 62, 63, 64, 65, 119, 120, 126, 127, 128, 199])
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
