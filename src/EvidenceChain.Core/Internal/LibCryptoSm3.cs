using System.Runtime.InteropServices;

namespace EvidenceChain.Core.Internal;

/// <summary>
/// SM3 through OpenSSL's EVP interface (<c>EVP_sm3</c>, libcrypto 3 or 1.1.1), for long messages: one
/// <c>EVP_MD_CTX</c> per instance, owned by a <see cref="SafeHandle"/> (freed on <see cref="Dispose"/> or by the
/// finaliser). Measured faster than the managed <see cref="Digests.Sm3Hasher"/> compression on long streams
/// (bench/README.md); a few calls of fixed cost per message, so short messages stay managed.
/// </summary>
/// <remarks>Not thread-safe. <see cref="Functions"/> is null where libcrypto or its SM3 is missing or fails a check.</remarks>
internal sealed unsafe class LibCryptoSm3 : IDisposable
{
    private readonly Context _context;

    private LibCryptoSm3(Api api)
    {
        _context = new Context(api);
        Restart();
    }

    /// <summary>The libcrypto entry points, or null where SM3 cannot be had from libcrypto here.</summary>
    internal static Api? Functions { get; } = Load();

    /// <summary>A context ready for a new message, or null without libcrypto's SM3.</summary>
    public static LibCryptoSm3? TryCreate() => Functions is { } api ? new LibCryptoSm3(api) : null;

    /// <summary>Hashes the next bytes of the message.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        fixed (byte* bytes = data)
        {
            Check(_context.Api.Update(_context.Pointer, bytes, (nuint)data.Length), "EVP_DigestUpdate");
        }

        GC.KeepAlive(_context);
    }

    /// <summary>Writes the digest (32 bytes) and starts a new message.</summary>
    public void Finish(Span<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, 32, nameof(digest));
        uint written = 0;
        fixed (byte* output = digest)
        {
            Check(_context.Api.Final(_context.Pointer, output, &written), "EVP_DigestFinal_ex");
        }

        GC.KeepAlive(_context);

        Restart();
    }

    public void Dispose() => _context.Dispose();

    private void Restart()
    {
        Check(_context.Api.Init(_context.Pointer, _context.Api.Sm3(), 0), "EVP_DigestInit_ex");
        GC.KeepAlive(_context);
    }

    private static void Check(int ok, string function)
    {
        if (ok != 1)
        {
            throw new InvalidOperationException($"libcrypto's {function} failed for SM3.");
        }
    }

    private static Api? Load()
    {
        if (!KernelPlatform.Current.NativeLibraries)
        {
            return null;
        }

        try
        {
            foreach (var name in (string[])["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.3.dylib"])
            {
                if (NativeLibrary.TryLoad(name, out var handle)
                    && NativeLibrary.TryGetExport(handle, "EVP_sm3", out var sm3)
                    && NativeLibrary.TryGetExport(handle, "EVP_MD_CTX_new", out var create)
                    && NativeLibrary.TryGetExport(handle, "EVP_MD_CTX_free", out var free)
                    && NativeLibrary.TryGetExport(handle, "EVP_DigestInit_ex", out var init)
                    && NativeLibrary.TryGetExport(handle, "EVP_DigestUpdate", out var update)
                    && NativeLibrary.TryGetExport(handle, "EVP_DigestFinal_ex", out var final))
                {
                    var api = new Api(
                        (delegate* unmanaged<nint>)sm3,
                        (delegate* unmanaged<nint>)create,
                        (delegate* unmanaged<nint, void>)free,
                        (delegate* unmanaged<nint, nint, nint, int>)init,
                        (delegate* unmanaged<nint, byte*, nuint, int>)update,
                        (delegate* unmanaged<nint, byte*, uint*, int>)final);
                    return api.Sm3() != 0 && SelfTest(api) ? api : null;
                }
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
            or InvalidOperationException or PlatformNotSupportedException or NotSupportedException)
        {
            // No usable SM3 in libcrypto here: the managed one does the work.
        }

        return null;
    }

    /// <summary>GB/T 32905-2016 appendix A, example 1: SM3("abc").</summary>
    private static bool SelfTest(Api api)
    {
        using var sm3 = new LibCryptoSm3(api);
        sm3.Append("abc"u8);
        Span<byte> digest = stackalloc byte[32];
        sm3.Finish(digest);
        return Convert.ToHexStringLower(digest) == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0";
    }

    /// <summary>The EVP entry points SM3 needs.</summary>
    internal sealed class Api(
        delegate* unmanaged<nint> sm3,
        delegate* unmanaged<nint> create,
        delegate* unmanaged<nint, void> free,
        delegate* unmanaged<nint, nint, nint, int> init,
        delegate* unmanaged<nint, byte*, nuint, int> update,
        delegate* unmanaged<nint, byte*, uint*, int> final)
    {
        public nint Sm3() => sm3();

        public nint Create() => create();

        public void Free(nint context) => free(context);

        public int Init(nint context, nint md, nint engine) => init(context, md, engine);

        public int Update(nint context, byte* data, nuint length) => update(context, data, length);

        public int Final(nint context, byte* digest, uint* length) => final(context, digest, length);
    }

    /// <summary>An <c>EVP_MD_CTX</c>, freed once.</summary>
    private sealed class Context : SafeHandle
    {
        public Context(Api api)
            : base(0, ownsHandle: true)
        {
            Api = api;
            SetHandle(api.Create());
            if (IsInvalid)
            {
                throw new InvalidOperationException("libcrypto's EVP_MD_CTX_new failed.");
            }
        }

        public Api Api { get; }

        public nint Pointer => handle;

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            Api.Free(handle);
            return true;
        }
    }
}
