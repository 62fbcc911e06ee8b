using System.Runtime.Intrinsics;
using EvidenceChain.Core.Internal;

namespace EvidenceChain.Core.Tests.Internal;

/// <summary>
/// Names every hashing path the library can take on this machine, so that each is tested explicitly: the two
/// single-message kernels, and each SIMD width over each of them with both ways of finishing a level's tail
/// (a padded vector pass, "/tail1", or single hashes, "/tailN" with N = lane count).
/// </summary>
internal static class TestKernels
{
    public static string[] Available()
    {
        var singles = new List<string> { "managed" };
        if (LibCryptoSha256Kernel.TryCreate() is not null)
        {
            singles.Add("libcrypto");
        }

        var names = new List<string>(singles);
        foreach (var single in singles)
        {
            if (Avx512Lanes.IsSupported)
            {
                names.Add($"avx512/tail1/{single}");
                names.Add($"avx512/tail16/{single}");
            }

            if (Avx2Lanes.IsSupported)
            {
                names.Add($"avx2/tail1/{single}");
                names.Add($"avx2/tail8/{single}");
            }
        }

        return [.. names];
    }

    public static ISha256Kernel Create(string name)
    {
        var parts = name.Split('/');
        var single = Single(parts[^1]);
        if (parts.Length == 1)
        {
            return single;
        }

        var tail = int.Parse(parts[1]["tail".Length..], System.Globalization.CultureInfo.InvariantCulture);
        return parts[0] switch
        {
            "avx512" => new MultiBufferSha256Kernel<Avx512Lanes, Vector512<uint>>(single, tail),
            "avx2" => new MultiBufferSha256Kernel<Avx2Lanes, Vector256<uint>>(single, tail),
            _ => throw new ArgumentException(name, nameof(name)),
        };
    }

    private static ISha256Kernel Single(string name) => name switch
    {
        "managed" => ManagedSha256Kernel.Instance,
        "libcrypto" => LibCryptoSha256Kernel.TryCreate()!,
        _ => throw new ArgumentException(name, nameof(name)),
    };
}
