namespace EvidenceChain.Core.Internal;

/// <summary>
/// What <see cref="Sha256Kernel"/> may try on this platform: native libcrypto through P/Invoke, and x86 SIMD. In a
/// browser (WebAssembly) there is neither: no native library loads, and System.Runtime.Intrinsics.X86 is not
/// supported, so the managed kernel is chosen without trying (and failing on) either.
/// </summary>
/// <param name="NativeLibraries">Native libraries can be loaded (not a browser or WASI).</param>
/// <param name="Simd">x86 SIMD may be used (the lane types still check the CPU's flags).</param>
internal readonly record struct KernelPlatform(bool NativeLibraries, bool Simd)
{
    /// <summary>
    /// The AppContext switch (runtimeconfig.json <c>configProperties</c>) that forces the portable managed kernel
    /// everywhere, as in a browser: for diagnosis, and to run the fallback on a machine that has the fast paths.
    /// </summary>
    public const string ManagedOnlySwitch = "EvidenceChain.Core.Sha256.ManagedOnly";

    /// <summary>This process's platform.</summary>
    public static KernelPlatform Current
    {
        get
        {
            var wasm = OperatingSystem.IsBrowser() || OperatingSystem.IsWasi();
            var managedOnly = AppContext.TryGetSwitch(ManagedOnlySwitch, out var on) && on;
            return new KernelPlatform(NativeLibraries: !wasm && !managedOnly, Simd: !wasm && !managedOnly);
        }
    }

    /// <summary>A browser's: managed code only.</summary>
    public static KernelPlatform ManagedOnly { get; } = new(NativeLibraries: false, Simd: false);
}
