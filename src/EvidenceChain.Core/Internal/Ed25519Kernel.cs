using Org.BouncyCastle.Math.EC.Rfc8032;

namespace EvidenceChain.Core.Internal;

/// <summary>
/// The one place where Core calls Ed25519 (RFC 8032, pure, no context). BouncyCastle stays behind this class so
/// that no BouncyCastle type reaches a public signature.
/// </summary>
internal static class Ed25519Kernel
{
    public const int SeedSize = 32;
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;

    public static void DerivePublicKey(ReadOnlySpan<byte> seed, Span<byte> publicKey)
    {
        CheckLength(seed, SeedSize, nameof(seed));
        CheckLength(publicKey, PublicKeySize, nameof(publicKey));
        Ed25519.GeneratePublicKey(seed, publicKey);
    }

    /// <summary>Requires <paramref name="publicKey"/> to be the one derived from <paramref name="seed"/>.</summary>
    public static void Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        CheckLength(seed, SeedSize, nameof(seed));
        CheckLength(publicKey, PublicKeySize, nameof(publicKey));
        CheckLength(signature, SignatureSize, nameof(signature));
        Ed25519.Sign(seed, publicKey, message, signature);
    }

    /// <summary>False for a wrong-length key or signature, an undecodable key, or a bad signature; never throws.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        publicKey.Length == PublicKeySize
        && signature.Length == SignatureSize
        && Ed25519.Verify(signature, publicKey, message);

    private static void CheckLength(ReadOnlySpan<byte> span, int expected, string name)
    {
        if (span.Length != expected)
        {
            throw new ArgumentException($"Expected {expected} bytes; got {span.Length}.", name);
        }
    }
}
